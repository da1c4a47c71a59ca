package dev.ticketing.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventTypeTest {

    @Test
    void registersEveryEventRecordOfTheSealedHierarchy() {
        List<Class<?>> leaves = new ArrayList<>();
        collectLeaves(DomainEvent.class, leaves);

        assertThat(Arrays.stream(EventType.values()).<Class<?>>map(EventType::eventClass).toList())
                .containsExactlyInAnyOrderElementsOf(leaves);
        assertThat(leaves).hasSize(11).allMatch(Class::isRecord);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void namesTypeAfterRecordClass(EventType type) {
        assertThat(type.typeName()).isEqualTo(type.eventClass().getSimpleName());
        assertThat(type.typeName()).doesNotEndWith("Event");
        assertThat(EventType.of(type.typeName())).isSameAs(type);
        assertThat(EventType.find(type.typeName())).contains(type);
        assertThat(EventType.of(type.eventClass())).isSameAs(type);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void startsEveryTypeAtSchemaVersionOne(EventType type) {
        assertThat(type.schemaVersion()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void exposesTypeAndVersionOnTheEvent(EventType type) {
        DomainEvent event = Samples.event(type);

        assertThat(event.eventType()).isEqualTo(type.typeName());
        assertThat(event.schemaVersion()).isEqualTo(type.schemaVersion());
        assertThat(EventType.of(event)).isSameAs(type);
        assertThat(event.topic()).isEqualTo(type.topic());
    }

    @Test
    void findsNothingForUnknownNames() {
        assertThat(EventType.find("SeatUpgraded")).isEmpty();
        assertThat(EventType.find("RESERVATION_CREATED")).isEmpty();
        assertThat(EventType.find(null)).isEmpty();
        assertThatThrownBy(() -> EventType.of("SeatUpgraded"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SeatUpgraded");
    }

    private static void collectLeaves(Class<?> type, List<Class<?>> leaves) {
        if (type.isSealed()) {
            for (Class<?> sub : type.getPermittedSubclasses()) {
                collectLeaves(sub, leaves);
            }
        } else {
            leaves.add(type);
        }
    }
}
