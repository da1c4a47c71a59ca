package dev.ticketing.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The partitioning contract: which key and aggregate each event carries. */
class KeysAndAggregatesTest {

    private static final String SCHEDULE = "101";
    private static final String RESERVATION = "5001";
    private static final String PAYMENT = "9001";
    private static final String USER = "42";
    private static final String TOKEN = Samples.TOKEN_ID;

    static Stream<Arguments> contract() {
        return Stream.of(
                Arguments.of(EventType.RESERVATION_CREATED, "reservation.events", SCHEDULE, "Reservation", RESERVATION),
                Arguments.of(EventType.RESERVATION_CONFIRMED, "reservation.events", SCHEDULE, "Reservation", RESERVATION),
                Arguments.of(EventType.RESERVATION_EXPIRED, "reservation.events", SCHEDULE, "Reservation", RESERVATION),
                Arguments.of(EventType.RESERVATION_CANCELLED, "reservation.events", SCHEDULE, "Reservation", RESERVATION),
                Arguments.of(EventType.RESERVATION_REJECTED, "reservation.events", SCHEDULE, "Reservation", RESERVATION),
                Arguments.of(EventType.PAYMENT_COMPLETED, "payment.events", RESERVATION, "Payment", PAYMENT),
                Arguments.of(EventType.PAYMENT_REFUNDED, "payment.events", RESERVATION, "Payment", PAYMENT),
                Arguments.of(EventType.BALANCE_CHARGED, "payment.events", USER, "Wallet", USER),
                Arguments.of(EventType.QUEUE_TOKEN_ISSUED, "queue.events", USER, "QueueToken", TOKEN),
                Arguments.of(EventType.QUEUE_TOKEN_ACTIVATED, "queue.events", USER, "QueueToken", TOKEN),
                Arguments.of(EventType.QUEUE_TOKEN_EXPIRED, "queue.events", USER, "QueueToken", TOKEN));
    }

    @ParameterizedTest
    @MethodSource("contract")
    void keysAndNamesAggregatePerContract(EventType type, String topic, String key, String aggregateType,
            String aggregateId) {
        DomainEvent event = Samples.event(type);

        assertThat(event.topic()).isEqualTo(topic);
        assertThat(event.key()).isEqualTo(key);
        assertThat(event.aggregateType()).isEqualTo(aggregateType);
        assertThat(event.aggregateId()).isEqualTo(aggregateId);
    }

    @ParameterizedTest
    @MethodSource("contract")
    void envelopeCarriesTopicKeyAndAggregateOfItsPayload(EventType type, String topic, String key,
            String aggregateType, String aggregateId) {
        EventEnvelope envelope = Samples.envelope(type);

        assertThat(envelope.topic()).isEqualTo(topic);
        assertThat(envelope.key()).isEqualTo(key);
        assertThat(envelope.aggregateType()).isEqualTo(aggregateType);
        assertThat(envelope.aggregateId()).isEqualTo(aggregateId);
        assertThat(Topics.ALL).contains(envelope.topic());
    }
}
