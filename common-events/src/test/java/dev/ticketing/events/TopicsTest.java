package dev.ticketing.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void namesTheThreeEventTopics() {
        assertThat(Topics.ALL).containsExactly("reservation.events", "payment.events", "queue.events");
        assertThat(Topics.PARTITIONS).isEqualTo(6);
    }

    @Test
    void namesDeadLetterTopicAfterTopicAndGroup() {
        assertThat(Topics.deadLetter(Topics.RESERVATION_EVENTS, "payment-service"))
                .isEqualTo("reservation.events.payment-service.DLT");
    }

    @Test
    void refusesBlankDeadLetterParts() {
        assertThatThrownBy(() -> Topics.deadLetter(" ", "payment-service")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Topics.deadLetter(Topics.QUEUE_EVENTS, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void keepsTopicListUnmodifiable() {
        assertThatThrownBy(() -> Topics.ALL.add("other")).isInstanceOf(UnsupportedOperationException.class);
    }
}
