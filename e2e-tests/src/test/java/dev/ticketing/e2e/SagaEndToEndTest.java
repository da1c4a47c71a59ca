package dev.ticketing.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.e2e.Journeys.Seats;
import dev.ticketing.e2e.PublicApi.Answer;
import dev.ticketing.e2e.PublicApi.Shopper;
import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.EventJson;
import dev.ticketing.events.PaymentCompleted;
import dev.ticketing.events.PaymentRefunded;
import dev.ticketing.events.QueueTokenExpired;
import dev.ticketing.events.RejectionReason;
import dev.ticketing.events.ReservationRejected;
import dev.ticketing.events.TokenExpiryReason;
import dev.ticketing.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The saga of DESIGN section 8 across the running services, driven through the gateway only:
 * the happy path, a hold that runs out, a cancel, a payment that lands after the hold was released
 * (expiry, and a cancel that wins the race), concurrent payments, and a redelivery of every event.
 * The events are read back from the topics as an analytics consumer would, and the invariant
 * checker runs once everything has settled.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SagaEndToEndTest {

    private static Stack stack;
    private static Journeys journeys;
    private static PublicApi api;
    private static KafkaTopics topics;

    @BeforeAll
    static void start() {
        journeys = Journeys.shared();
        stack = journeys.stack;
        api = journeys.api;
        topics = journeys.topics;
    }

    @Test
    @Order(1)
    void happyPathConfirmsSeatsEndsTheTokenAndPublishesEventsInOrder() throws Exception {
        Shopper shopper = journeys.buyer();
        Seats seats = journeys.seats(2);

        JsonNode reservation = journeys.hold(shopper, seats);
        long reservationId = reservation.path("reservationId").asLong();
        long amount = reservation.path("amount").asLong();
        assertThat(reservation.path("status").asText()).isEqualTo("PENDING_PAYMENT");

        JsonNode payment = journeys.pay(shopper, reservationId).ok(201).body();
        long paymentId = payment.path("paymentId").asLong();
        assertThat(payment.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(payment.path("amount").asLong()).isEqualTo(amount);
        assertThat(payment.path("balanceAfter").asLong()).isEqualTo(Journeys.FUNDS - amount);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(api.get("/reservations/" + reservationId, shopper.token()).body().path("status").asText()).isEqualTo("CONFIRMED");
            assertThat(journeys.seatStatuses(seats)).containsOnly("SOLD");
            assertThat(api.get("/queue/status", shopper.token()).body().path("status").asText()).isEqualTo("EXPIRED");
        });
        // The token is spent: admitted routes refuse it; identified ones still answer its owner.
        // The gateway may answer from its ACTIVE cache for up to its max age (1 s) after the token ended.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                api.get("/concerts/" + seats.concertId() + "/schedules", shopper.token()).problem(401, "TOKEN_EXPIRED"));
        assertThat(journeys.balance(shopper)).isEqualTo(Journeys.FUNDS - amount);
        JsonNode entries = api.get("/users/" + shopper.userId() + "/balance/history", shopper.token()).ok(200).body().path("entries");
        assertThat(entries).extracting(e -> e.path("type").asText()).containsExactly("PAYMENT", "CHARGE");
        assertThat(entries.get(0).path("amount").asLong()).isEqualTo(-amount);
        assertThat(entries.get(0).path("reference").asLong()).isEqualTo(paymentId);

        // Events, as an analytics consumer reads them: keys, headers, and order per key.
        List<EventEnvelope> reservationEvents = events(Topics.RESERVATION_EVENTS, Long.toString(seats.scheduleId()),
                e -> e.aggregateId().equals(Long.toString(reservationId)));
        assertThat(reservationEvents).extracting(EventEnvelope::eventType)
                .containsExactly("ReservationCreated", "ReservationConfirmed");
        List<EventEnvelope> paymentEvents = events(Topics.PAYMENT_EVENTS, Long.toString(reservationId), e -> true);
        assertThat(paymentEvents).extracting(EventEnvelope::payload).containsExactly(
                new PaymentCompleted(paymentId, reservationId, shopper.userId(), shopper.tokenId(), amount,
                        java.time.Instant.parse(payment.path("paidAt").asText())));
        List<EventEnvelope> queueEvents = events(Topics.QUEUE_EVENTS, Long.toString(shopper.userId()),
                e -> e.aggregateId().equals(shopper.tokenId()));
        assertThat(queueEvents).extracting(EventEnvelope::eventType)
                .containsExactly("QueueTokenIssued", "QueueTokenActivated", "QueueTokenExpired");
        assertThat(((QueueTokenExpired) queueEvents.get(2).payload()).reason()).isEqualTo(TokenExpiryReason.PAYMENT_COMPLETED);
    }

    @Test
    @Order(2)
    void aHoldThatRunsOutFreesItsSeatsAndRefusesPayment() {
        Shopper shopper = journeys.buyer();
        Seats seats = journeys.seats(1);
        long reservationId = journeys.hold(shopper, seats).path("reservationId").asLong();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(journeys.seatStatuses(seats)).containsOnly("HELD"));

        await().atMost(Duration.ofSeconds(Stack.HOLD_SECONDS + Stack.GRACE_SECONDS + 10)).untilAsserted(() -> {
            assertThat(api.get("/reservations/" + reservationId, shopper.token()).body().path("status").asText()).isEqualTo("EXPIRED");
            assertThat(journeys.seatStatuses(seats)).containsOnly("AVAILABLE");
        });
        journeys.pay(shopper, reservationId).problem(409, "RESERVATION_EXPIRED");
        assertThat(journeys.balance(shopper)).isEqualTo(Journeys.FUNDS);
        // The expired hold freed the token and the seats: it may hold them again (and here lets them go).
        long again = journeys.hold(shopper, seats).path("reservationId").asLong();
        api.delete("/reservations/" + again, shopper.token()).ok(200);
    }

    @Test
    @Order(3)
    void aCancelFreesTheSeatsAndEndsThePendingPayment() {
        Shopper shopper = journeys.buyer();
        Seats seats = journeys.seats(2);
        long reservationId = journeys.hold(shopper, seats).path("reservationId").asLong();
        assertThat(api.delete("/reservations/" + reservationId, shopper.token()).ok(200).body().path("status").asText())
                .isEqualTo("CANCELLED");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(journeys.seatStatuses(seats)).containsOnly("AVAILABLE"));
        topics.awaitConsumed("payment-service", Topics.RESERVATION_EVENTS);
        journeys.pay(shopper, reservationId).problem(409, "RESERVATION_NOT_PENDING");
        assertThat(journeys.balance(shopper)).isEqualTo(Journeys.FUNDS);
    }

    @Test
    @Order(4)
    void aPaymentThatLandsAfterTheHoldRanOutIsRefunded() throws Exception {
        Shopper shopper = journeys.buyer();
        Seats seats = journeys.seats(2);
        long reservationId;
        JsonNode payment;
        // PaymentCompleted waits in payment-service's outbox until the hold has been released.
        outbox("payment-service", true);
        try {
            reservationId = journeys.hold(shopper, seats).path("reservationId").asLong();
            payment = journeys.pay(shopper, reservationId).ok(201).body();
            await().atMost(Duration.ofSeconds(Stack.HOLD_SECONDS + Stack.GRACE_SECONDS + 10)).untilAsserted(() ->
                    assertThat(api.get("/reservations/" + reservationId, shopper.token()).body().path("status").asText())
                            .isEqualTo("EXPIRED"));
        } finally {
            outbox("payment-service", false);
        }
        assertRefunded(shopper, reservationId, payment, seats, RejectionReason.HOLD_EXPIRED, "EXPIRED");
    }

    @Test
    @Order(5)
    void aCancelThatWinsTheRaceAgainstAPaymentGetsThePaymentRefunded() throws Exception {
        Shopper shopper = journeys.buyer();
        Seats seats = journeys.seats(1);
        long reservationId = journeys.hold(shopper, seats).path("reservationId").asLong();
        topics.awaitConsumed("payment-service", Topics.RESERVATION_EVENTS); // it knows the hold is pending
        JsonNode payment;
        // ReservationCancelled waits in reservation-service's outbox, so payment-service takes the payment.
        outbox("reservation-service", true);
        try {
            api.delete("/reservations/" + reservationId, shopper.token()).ok(200);
            payment = journeys.pay(shopper, reservationId).ok(201).body();
        } finally {
            outbox("reservation-service", false);
        }
        assertRefunded(shopper, reservationId, payment, seats, RejectionReason.CANCELLED, "CANCELLED");
    }

    @Test
    @Order(6)
    void ofTenConcurrentPaymentsOfOneReservationOneSucceeds() throws Exception {
        Shopper shopper = journeys.buyer();
        Seats seats = journeys.seats(1);
        JsonNode reservation = journeys.hold(shopper, seats);
        long reservationId = reservation.path("reservationId").asLong();
        List<Callable<Answer>> payments = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            payments.add(() -> journeys.pay(shopper, reservationId));
        }
        List<Answer> answers = dev.ticketing.testsupport.Concurrently.run(10, payments);
        assertThat(answers).filteredOn(a -> a.status() == 201).hasSize(1);
        assertThat(answers).filteredOn(a -> a.status() != 201).hasSize(9).allSatisfy(a -> a.problem(409, "ALREADY_PAID"));
        assertThat(journeys.balance(shopper)).isEqualTo(Journeys.FUNDS - reservation.path("amount").asLong());
    }

    @Test
    @Order(100)
    void redeliveringEveryEventChangesNothingAndTheInvariantsHold() throws Exception {
        journeys.settle();
        String before = SuiteState.read(stack.database());
        Map<String, Long> outboxBefore = SuiteState.outboxCounts(stack.database());

        for (String topic : List.of(Topics.RESERVATION_EVENTS, Topics.PAYMENT_EVENTS, Topics.QUEUE_EVENTS)) {
            List<ConsumerRecord<String, String>> all = topics.readAll(topic);
            assertThat(all).as(topic).isNotEmpty();
            topics.redeliver(topic, all);
        }
        journeys.settle();

        assertThat(SuiteState.read(stack.database())).isEqualTo(before);
        assertThat(SuiteState.outboxCounts(stack.database())).isEqualTo(outboxBefore);
        SuiteState.assertInvariantsHold(stack.database());
    }

    // --- helpers

    private void assertRefunded(Shopper shopper, long reservationId, JsonNode payment, Seats seats, RejectionReason reason,
                                String reservationStatus) throws Exception {
        long paymentId = payment.path("paymentId").asLong();
        long amount = payment.path("amount").asLong();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(api.get("/payments/" + paymentId, shopper.token()).ok(200).body().path("status").asText()).isEqualTo("REFUNDED"));
        assertThat(api.get("/reservations/" + reservationId, shopper.token()).body().path("status").asText()).isEqualTo(reservationStatus);
        assertThat(journeys.balance(shopper)).isEqualTo(Journeys.FUNDS);
        JsonNode entries = api.get("/users/" + shopper.userId() + "/balance/history", shopper.token()).ok(200).body().path("entries");
        assertThat(entries).extracting(e -> e.path("type").asText()).containsExactly("REFUND", "PAYMENT", "CHARGE");
        assertThat(entries.get(0).path("amount").asLong()).isEqualTo(amount);
        assertThat(entries.get(1).path("amount").asLong()).isEqualTo(-amount);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(journeys.seatStatuses(seats)).doesNotContain("SOLD"));

        List<EventEnvelope> reservationEvents = events(Topics.RESERVATION_EVENTS, Long.toString(seats.scheduleId()),
                e -> e.aggregateId().equals(Long.toString(reservationId)));
        assertThat(reservationEvents.get(reservationEvents.size() - 1).payload())
                .isEqualTo(new ReservationRejected(reservationId, shopper.userId(), seats.scheduleId(), paymentId, reason));
        List<EventEnvelope> paymentEvents = events(Topics.PAYMENT_EVENTS, Long.toString(reservationId), e -> true);
        assertThat(paymentEvents).extracting(EventEnvelope::eventType).containsExactly("PaymentCompleted", "PaymentRefunded");
        assertThat(paymentEvents.get(1).payload())
                .isEqualTo(new PaymentRefunded(paymentId, reservationId, shopper.userId(), amount, reason));
    }

    /** The events of one key, in the order written, after checking every record's envelope headers. */
    private List<EventEnvelope> events(String topic, String key, java.util.function.Predicate<EventEnvelope> filter) throws Exception {
        List<EventEnvelope> found = new ArrayList<>();
        for (ConsumerRecord<String, String> r : topics.readAll(topic)) {
            if (!key.equals(r.key())) {
                continue;
            }
            EventEnvelope envelope = EventJson.read(r.value());
            assertThat(header(r, "eventId")).isEqualTo(envelope.eventId().toString());
            assertThat(header(r, "eventType")).isEqualTo(envelope.eventType());
            assertThat(header(r, "schemaVersion")).isEqualTo(Integer.toString(envelope.schemaVersion()));
            assertThat(header(r, "traceparent")).as("traceparent of %s", envelope.eventType())
                    .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
            assertThat(envelope.key()).isEqualTo(key);
            if (filter.test(envelope)) {
                found.add(envelope);
            }
        }
        return found;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private void outbox(String module, boolean paused) {
        assertThat(stack.operate(module, "outbox", "{\"paused\":" + paused + "}").path("paused").asBoolean()).isEqualTo(paused);
    }
}
