package dev.ticketing.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The versioning rule in the mapping: a field added later reads as absent from events written
 * before it, while every original field stays required.
 */
class AddedFieldTest {

    /** A payload shape as it would look after a field was added to version 1. */
    record Evolved(long reservationId, String reason, @AddedField(since = "test") Long refundedTo) {
    }

    private final ObjectMapper mapper = EventJson.mapper();

    @Test
    void readsAnEventWrittenBeforeTheFieldWasAdded() throws Exception {
        Evolved old = mapper.readValue("{\"reservationId\":42,\"reason\":\"HOLD_EXPIRED\"}", Evolved.class);
        assertThat(old).isEqualTo(new Evolved(42, "HOLD_EXPIRED", null));
    }

    @Test
    void readsTheAddedFieldWhenPresent() throws Exception {
        Evolved now = mapper.readValue("{\"reservationId\":42,\"reason\":\"CANCELLED\",\"refundedTo\":7}", Evolved.class);
        assertThat(now.refundedTo()).isEqualTo(7L);
    }

    @Test
    void stillRequiresEveryOriginalField() {
        assertThatThrownBy(() -> mapper.readValue("{\"reason\":\"CANCELLED\"}", Evolved.class))
                .isInstanceOf(MismatchedInputException.class)
                .hasMessageContaining("reservationId");
    }
}
