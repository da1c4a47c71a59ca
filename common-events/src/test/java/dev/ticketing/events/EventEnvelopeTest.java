package dev.ticketing.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventEnvelopeTest {

    private static final UUID ID = UUID.fromString("0f9a7c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b");
    private static final Instant AT = Instant.parse("2026-11-23T10:15:30Z");
    private static final ReservationExpired EXPIRED = new ReservationExpired(5001, 42, 101, List.of(12, 13));

    @Test
    void takesTypeVersionAndAggregateFromEvent() {
        EventEnvelope envelope = EventEnvelope.of(EXPIRED, ID, AT);

        assertThat(envelope.eventId()).isEqualTo(ID);
        assertThat(envelope.eventType()).isEqualTo("ReservationExpired");
        assertThat(envelope.schemaVersion()).isEqualTo(1);
        assertThat(envelope.occurredAt()).isEqualTo(AT);
        assertThat(envelope.aggregateType()).isEqualTo("Reservation");
        assertThat(envelope.aggregateId()).isEqualTo("5001");
        assertThat(envelope.payload()).isSameAs(EXPIRED);
    }

    @Test
    void delegatesTopicAndKeyToPayload() {
        EventEnvelope envelope = EventEnvelope.of(EXPIRED, ID, AT);

        assertThat(envelope.topic()).isEqualTo(Topics.RESERVATION_EVENTS);
        assertThat(envelope.key()).isEqualTo("101");
    }

    @Test
    void rejectsMissingFields() {
        assertThatThrownBy(() -> EventEnvelope.of(EXPIRED, null, AT)).hasMessage("eventId must not be null");
        assertThatThrownBy(() -> EventEnvelope.of(EXPIRED, ID, null)).hasMessage("occurredAt must not be null");
        assertThatThrownBy(() -> EventEnvelope.of(null, ID, AT)).hasMessage("event must not be null");
        assertThatThrownBy(() -> new EventEnvelope(ID, "ReservationExpired", 1, AT, "Reservation", "5001", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("payload must not be null");
    }

    @Test
    void rejectsEventTypeThatDoesNotMatchPayload() {
        assertThatThrownBy(() -> new EventEnvelope(ID, "ReservationCancelled", 1, AT, "Reservation", "5001", EXPIRED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eventType 'ReservationCancelled'")
                .hasMessageContaining("ReservationExpired");
    }

    @Test
    void rejectsSchemaVersionOrAggregateThatDoesNotMatchPayload() {
        assertThatThrownBy(() -> new EventEnvelope(ID, "ReservationExpired", 2, AT, "Reservation", "5001", EXPIRED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schemaVersion 2");
        assertThatThrownBy(() -> new EventEnvelope(ID, "ReservationExpired", 1, AT, "Payment", "5001", EXPIRED))
                .hasMessageContaining("aggregateType");
        assertThatThrownBy(() -> new EventEnvelope(ID, "ReservationExpired", 1, AT, "Reservation", "101", EXPIRED))
                .hasMessageContaining("aggregateId");
    }
}
