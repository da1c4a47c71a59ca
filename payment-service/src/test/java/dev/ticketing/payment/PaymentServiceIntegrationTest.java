package dev.ticketing.payment;

import dev.ticketing.testsupport.InternalEndpointStub;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.events.BalanceCharged;
import dev.ticketing.events.DomainEvent;
import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.EventJson;
import dev.ticketing.events.PaymentCompleted;
import dev.ticketing.events.PaymentRefunded;
import dev.ticketing.events.RejectionReason;
import dev.ticketing.events.ReservationCancelled;
import dev.ticketing.events.ReservationCreated;
import dev.ticketing.events.ReservationExpired;
import dev.ticketing.events.ReservationRejected;
import dev.ticketing.events.Topics;
import dev.ticketing.messaging.outbox.ReliableProducer;
import dev.ticketing.testsupport.Concurrently;
import dev.ticketing.testsupport.MutableClock;
import dev.ticketing.testsupport.TestInfrastructure;
import dev.ticketing.testsupport.TestKafka;
import dev.ticketing.testsupport.TopicReader;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * payment-service on a real MariaDB and Kafka broker, driven over HTTP as the gateway would
 * (identity in X-User-Id), with reservation events sent to its topic as reservation-service would,
 * reservation-service's internal endpoint served by a stub HTTP server, and time moved by an
 * injected clock.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        // No health checks: a stopped reservation-service stays listed (the call's retry and breaker answer 503),
        // and a restarted one is called again at once.
        "ticketing.internal-calls.health-checks=false",
        // Not the service's own group: the boot test's context, cached in this JVM, consumes the same topic.
        "spring.kafka.consumer.group-id=payment-service-it"})
@Import(MutableClock.InContext.class)
class PaymentServiceIntegrationTest {

    static final StubReservationService reservationService = new StubReservationService();
    private static final KafkaTemplate<String, String> producer = ReliableProducer.template(TestKafka.bootstrapServers());
    private static final AtomicLong ids = new AtomicLong(5_000);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "payment_it");
        reservationService.start();
        registry.add(InternalEndpointStub.discoveryProperty("reservation-service"), reservationService::url);
    }

    @AfterAll
    static void stopStubs() {
        reservationService.stop();
        producer.getProducerFactory().reset();
    }

    @Autowired
    MutableClock clock;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CircuitBreakerRegistry breakers;

    private RestClient api;

    @BeforeEach
    void client(@LocalServerPort int port) {
        api = RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> { })
                .build();
        reservationService.start();
        breakers.circuitBreaker("reservation-service").reset();
    }

    @Test
    void chargesABalanceWithALedgerEntryAndBalanceCharged() {
        long user = ids.incrementAndGet();
        assertThat(balance(user)).isZero(); // never charged: 0, and no wallet written by reading

        ResponseEntity<JsonNode> charged = charge(user, 50_000);
        assertThat(charged.getStatusCode().value()).isEqualTo(200);
        assertThat(charged.getBody().toString()).isEqualTo("{\"userId\":" + user + ",\"balance\":50000}");
        charge(user, 7);
        assertThat(balance(user)).isEqualTo(50_007);

        JsonNode history = api.get().uri("/api/v1/users/{u}/balance/history", user).header("X-User-Id", Long.toString(user))
                .retrieve().body(JsonNode.class);
        assertThat(history.path("page").asInt()).isZero();
        assertThat(history.path("size").asInt()).isEqualTo(20);
        assertThat(history.path("hasNext").asBoolean()).isFalse();
        assertThat(history.path("entries")).hasSize(2);
        JsonNode newest = history.path("entries").get(0);
        assertThat(newest.path("type").asText()).isEqualTo("CHARGE");
        assertThat(newest.path("amount").asLong()).isEqualTo(7);
        assertThat(newest.path("balanceAfter").asLong()).isEqualTo(50_007);
        assertThat(newest.path("occurredAt").asText()).isNotEmpty();

        try (TopicReader reader = new TopicReader(TestKafka.bootstrapServers(), Topics.PAYMENT_EVENTS,
                r -> Long.toString(user).equals(r.key()))) {
            var records = reader.readUntil(r -> r.size() >= 2, Duration.ofSeconds(30));
            assertThat(records).hasSize(2);
            assertThat(TopicReader.header(records.get(0), "eventType")).isEqualTo("BalanceCharged");
            BalanceCharged first = (BalanceCharged) EventJson.read(records.get(0).value()).payload();
            assertThat(first.amount()).isEqualTo(50_000);
            assertThat(first.balanceAfter()).isEqualTo(50_000);
            assertThat(first.chargeId()).isEqualTo(history.path("entries").get(1).path("reference").asLong());
        }
        assertLedgerMatchesBalance(user);
    }

    @Test
    void refusesBadChargesWithProblemsAndChangesNothing() {
        long user = ids.incrementAndGet();
        charge(user, 1_000);
        for (String body : List.of("{\"amount\":0}", "{\"amount\":-5}", "{\"amount\":1000001}", "{\"amount\":1.5}",
                "{\"amount\":1e400}")) {
            assertProblem(chargeRaw(user, user, body), 400, "INVALID_AMOUNT");
        }
        for (String body : List.of("{}", "{\"amount\":null}", "{\"amount\":\"100\"}", "{\"amount\":true}", "[1]", "not json",
                "{\"amount\":5,\"amount\":6}")) {
            assertProblem(chargeRaw(user, user, body), 400, "INVALID_REQUEST");
        }
        assertProblem(chargeRaw(user, user + 1, "{\"amount\":10}"), 403, "FORBIDDEN");
        for (String id : List.of("0x10", "+" + user, "0" + user)) {
            assertProblem(api.post().uri("/api/v1/users/" + id + "/balance/charges").header("X-User-Id", Long.toString(user))
                    .contentType(MediaType.APPLICATION_JSON).body("{\"amount\":10}").retrieve().toEntity(JsonNode.class),
                    400, "INVALID_REQUEST");
        }
        assertProblem(api.get().uri("/api/v1/users/{u}/balance", user).header("X-User-Id", Long.toString(user + 1))
                .retrieve().toEntity(JsonNode.class), 403, "FORBIDDEN");
        for (String query : List.of("page=-1", "size=0", "size=101", "page=abc", "size=1.5", "page=99999999999")) {
            assertProblem(api.get().uri("/api/v1/users/{u}/balance/history?" + query, user)
                    .header("X-User-Id", Long.toString(user)).retrieve().toEntity(JsonNode.class), 400, "INVALID_REQUEST");
        }
        assertThat(balance(user)).isEqualTo(1_000);
        assertThat(ledgerCount(user)).isEqualTo(1);
    }

    @Test
    void neverChargesPastTheLimitButRefundsMay() throws Exception {
        long user = ids.incrementAndGet();
        for (int i = 0; i < 100; i++) {
            assertThat(charge(user, 1_000_000).getStatusCode().value()).isEqualTo(200);
        }
        assertThat(balance(user)).isEqualTo(100_000_000);
        assertProblem(charge(user, 1), 409, "BALANCE_LIMIT_EXCEEDED");
        assertThat(balance(user)).isEqualTo(100_000_000);

        // A refund may take it past the limit: pay, charge back to the limit, then the payment is rejected.
        long reservationId = reserve(user, 300_000);
        long paymentId = pay(user, reservationId).getBody().path("paymentId").asLong();
        charge(user, 300_000);
        send(rejected(reservationId, user, paymentId, RejectionReason.HOLD_EXPIRED));
        await().atMost(Duration.ofSeconds(30)).until(() -> balance(user) == 100_300_000);
        assertLedgerMatchesBalance(user);
    }

    @Test
    void addsExactly100For100ConcurrentChargesOf1() throws Exception {
        long user = ids.incrementAndGet();
        List<Callable<Integer>> charges = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            charges.add(() -> charge(user, 1).getStatusCode().value());
        }
        assertThat(Concurrently.run(20, charges)).containsOnly(200).hasSize(100);
        assertThat(balance(user)).isEqualTo(100);
        assertThat(ledgerCount(user)).isEqualTo(100);
        assertLedgerMatchesBalance(user);
    }

    @Test
    void paysAPendingReservationOnceAndPublishesPaymentCompleted() throws Exception {
        long user = ids.incrementAndGet();
        charge(user, 500_000);
        String token = UUID.randomUUID().toString();
        long reservationId = reserve(user, 230_000, token);

        ResponseEntity<JsonNode> paid = pay(user, reservationId);
        assertThat(paid.getStatusCode().value()).isEqualTo(201);
        JsonNode view = paid.getBody();
        long paymentId = view.path("paymentId").asLong();
        assertThat(view.path("reservationId").asLong()).isEqualTo(reservationId);
        assertThat(view.path("userId").asLong()).isEqualTo(user);
        assertThat(view.path("amount").asLong()).isEqualTo(230_000);
        assertThat(view.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(view.path("balanceAfter").asLong()).isEqualTo(270_000);
        assertThat(Instant.parse(view.path("paidAt").asText())).isEqualTo(clock.instant());
        assertThat(balance(user)).isEqualTo(270_000);

        assertProblem(pay(user, reservationId), 409, "ALREADY_PAID");
        assertProblem(pay(user + 1, reservationId), 403, "FORBIDDEN");
        assertThat(balance(user)).isEqualTo(270_000);

        // P2 and P3 for the owner only.
        assertThat(api.get().uri("/api/v1/payments/{id}", paymentId).header("X-User-Id", Long.toString(user))
                .retrieve().body(JsonNode.class)).isEqualTo(view);
        assertProblem(api.get().uri("/api/v1/payments/{id}", paymentId).header("X-User-Id", Long.toString(user + 1))
                .retrieve().toEntity(JsonNode.class), 403, "FORBIDDEN");
        JsonNode list = api.get().uri("/api/v1/users/{u}/payments", user).header("X-User-Id", Long.toString(user))
                .retrieve().body(JsonNode.class);
        assertThat(list.path("payments")).containsExactly(view);
        assertThat(list.path("hasNext").asBoolean()).isFalse();

        // The ledger: CHARGE, then PAYMENT of minus the amount, referring to the payment.
        JsonNode entries = history(user, 0, 20).path("entries");
        assertThat(entries.get(0).path("type").asText()).isEqualTo("PAYMENT");
        assertThat(entries.get(0).path("amount").asLong()).isEqualTo(-230_000);
        assertThat(entries.get(0).path("reference").asLong()).isEqualTo(paymentId);

        try (TopicReader reader = new TopicReader(TestKafka.bootstrapServers(), Topics.PAYMENT_EVENTS,
                r -> Long.toString(reservationId).equals(r.key()))) {
            var records = reader.readUntil(r -> !r.isEmpty(), Duration.ofSeconds(30));
            assertThat(records).hasSize(1);
            assertThat(EventJson.read(records.get(0).value()).payload())
                    .isEqualTo(new PaymentCompleted(paymentId, reservationId, user, token, 230_000, clock.instant()));
        }
        assertLedgerMatchesBalance(user);
    }

    @Test
    void paysRightAfterReservingByAskingReservationServiceWhenTheEventHasNotArrived() throws Exception {
        long user = ids.incrementAndGet();
        charge(user, 200_000);
        long reservationId = ids.incrementAndGet();
        String token = UUID.randomUUID().toString();
        reservationService.reservation(reservationId, user, 150_000, "PENDING_PAYMENT", clock.instant().plusSeconds(300), token);

        ResponseEntity<JsonNode> paid = pay(user, reservationId);
        assertThat(paid.getStatusCode().value()).isEqualTo(201);
        assertThat(balance(user)).isEqualTo(50_000);

        // The late ReservationCreated changes nothing: one payment for the reservation.
        send(envelope(new ReservationCreated(reservationId, user, token, 1, 2, List.of(1, 2), 150_000,
                clock.instant().plusSeconds(300))));
        awaitSettled();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM payment WHERE reservation_id = ?", Long.class, reservationId)).isOne();
        assertThat(status(reservationId)).isEqualTo("COMPLETED");

        // Unknown everywhere: 404. An expired one learnt this way: 409.
        assertProblem(pay(user, 999_999_999L), 404, "RESERVATION_NOT_FOUND");
        long expired = ids.incrementAndGet();
        reservationService.reservation(expired, user, 10_000, "EXPIRED", clock.instant().minusSeconds(1), token);
        assertProblem(pay(user, expired), 409, "RESERVATION_EXPIRED");
        assertThat(balance(user)).isEqualTo(50_000);
    }

    @Test
    void answers503QuicklyWhenReservationServiceIsDownAndNothingIsKnown() throws Exception {
        long user = ids.incrementAndGet();
        charge(user, 200_000);
        reservationService.stop();
        for (int i = 0; i < 8; i++) {
            long started = System.nanoTime();
            ResponseEntity<JsonNode> answer = pay(user, ids.incrementAndGet());
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertProblem(answer, 503, "SERVICE_UNAVAILABLE");
            assertThat(answer.getHeaders().getFirst("Retry-After")).isNotNull();
            assertThat(millis).as("answered within the 2 s budget").isLessThan(2_000);
        }
        // A reservation known from its event is paid without reservation-service.
        long known = reserve(user, 10_000);
        assertThat(pay(user, known).getStatusCode().value()).isEqualTo(201);
        assertThat(balance(user)).isEqualTo(190_000);
    }

    @Test
    void ofTenConcurrentPaymentsOfOneReservationExactlyOneSucceeds() throws Exception {
        long user = ids.incrementAndGet();
        charge(user, 1_000_000);
        long reservationId = reserve(user, 100_000);
        List<Callable<ResponseEntity<JsonNode>>> payments = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            payments.add(() -> pay(user, reservationId));
        }
        List<ResponseEntity<JsonNode>> answers = Concurrently.run(10, payments);
        assertThat(answers.stream().filter(a -> a.getStatusCode().value() == 201)).hasSize(1);
        assertThat(answers.stream().filter(a -> a.getStatusCode().value() != 201))
                .hasSize(9)
                .allSatisfy(a -> assertProblem(a, 409, "ALREADY_PAID"));
        assertThat(balance(user)).isEqualTo(900_000);
        assertLedgerMatchesBalance(user);
    }

    @Test
    void concurrentPaymentsOfDifferentReservationsNeverOverdraw() throws Exception {
        long user = ids.incrementAndGet();
        charge(user, 350_000); // enough for 3 of the 8
        List<Callable<ResponseEntity<JsonNode>>> payments = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long reservationId = reserve(user, 100_000);
            payments.add(() -> pay(user, reservationId));
        }
        List<ResponseEntity<JsonNode>> answers = Concurrently.run(8, payments);
        assertThat(answers.stream().filter(a -> a.getStatusCode().value() == 201)).hasSize(3);
        assertThat(answers.stream().filter(a -> a.getStatusCode().value() != 201))
                .hasSize(5)
                .allSatisfy(a -> assertProblem(a, 409, "INSUFFICIENT_BALANCE"));
        assertThat(balance(user)).isEqualTo(50_000);
        assertLedgerMatchesBalance(user);
    }

    @Test
    void refusesToPayAReservationThatEndedOrRanOut() throws Exception {
        long user = ids.incrementAndGet();
        charge(user, 500_000);
        long expired = reserve(user, 10_000);
        long cancelled = reserve(user, 10_000);
        long late = reserve(user, 10_000);
        send(envelope(new ReservationExpired(expired, user, 2, List.of(1))));
        send(envelope(new ReservationCancelled(cancelled, user, 2, List.of(1))));
        awaitSettled();
        assertThat(status(expired)).isEqualTo("EXPIRED");
        assertThat(status(cancelled)).isEqualTo("CANCELLED");

        assertProblem(pay(user, expired), 409, "RESERVATION_EXPIRED");
        assertProblem(pay(user, cancelled), 409, "RESERVATION_NOT_PENDING");
        clock.advance(Duration.ofMinutes(5)); // the deadline itself is too late
        try {
            assertProblem(pay(user, late), 409, "RESERVATION_EXPIRED");
        } finally {
            clock.advance(Duration.ofMinutes(-5));
        }
        assertThat(balance(user)).isEqualTo(500_000);
        // An unpaid payment is never shown.
        long pendingId = jdbc.queryForObject("SELECT payment_id FROM payment WHERE reservation_id = ?", Long.class, late);
        assertProblem(api.get().uri("/api/v1/payments/{id}", pendingId).header("X-User-Id", Long.toString(user))
                .retrieve().toEntity(JsonNode.class), 404, "PAYMENT_NOT_FOUND");
    }

    @Test
    void refundsARejectedPaymentOnceEvenWhenTheRejectionIsDeliveredTwice() throws Exception {
        long user = ids.incrementAndGet();
        charge(user, 300_000);
        long reservationId = reserve(user, 120_000);
        long paymentId = pay(user, reservationId).getBody().path("paymentId").asLong();
        // The hold had been released before the payment landed; the expiry comes too, and ends nothing.
        send(envelope(new ReservationExpired(reservationId, user, 2, List.of(1))));
        EventEnvelope rejection = rejected(reservationId, user, paymentId, RejectionReason.HOLD_EXPIRED);
        send(rejection);
        send(rejection); // redelivered: same event id
        send(rejected(reservationId, user, paymentId, RejectionReason.HOLD_EXPIRED)); // a second rejection event
        awaitSettled();

        assertThat(balance(user)).isEqualTo(300_000);
        assertThat(status(reservationId)).isEqualTo("REFUNDED");
        JsonNode entries = history(user, 0, 20).path("entries");
        assertThat(entries).extracting(e -> e.path("type").asText()).containsExactly("REFUND", "PAYMENT", "CHARGE");
        assertThat(entries.get(0).path("amount").asLong()).isEqualTo(120_000);
        assertThat(entries.get(0).path("reference").asLong()).isEqualTo(paymentId);
        JsonNode view = api.get().uri("/api/v1/payments/{id}", paymentId).header("X-User-Id", Long.toString(user))
                .retrieve().body(JsonNode.class);
        assertThat(view.path("status").asText()).isEqualTo("REFUNDED");

        try (TopicReader reader = new TopicReader(TestKafka.bootstrapServers(), Topics.PAYMENT_EVENTS,
                r -> Long.toString(reservationId).equals(r.key()))) {
            var events = reader.readUntil(r -> r.size() >= 2, Duration.ofSeconds(30)).stream()
                    .map(r -> EventJson.read(r.value()).payload()).toList();
            assertThat(events).hasSize(2);
            assertThat(events.get(0)).isInstanceOf(PaymentCompleted.class);
            assertThat(events.get(1)).isEqualTo(new PaymentRefunded(paymentId, reservationId, user, 120_000, RejectionReason.HOLD_EXPIRED));
        }
        assertLedgerMatchesBalance(user);
    }

    @Test
    void createsOnePendingPaymentHoweverOftenReservationCreatedArrives() throws Exception {
        long user = ids.incrementAndGet();
        long reservationId = ids.incrementAndGet();
        ReservationCreated created = new ReservationCreated(reservationId, user, UUID.randomUUID().toString(), 1, 2,
                List.of(3), 80_000, clock.instant().plusSeconds(300));
        EventEnvelope once = envelope(created);
        send(once);
        send(once);
        send(envelope(created)); // the same fact under a new event id
        awaitSettled();
        assertThat(jdbc.queryForList("SELECT status FROM payment WHERE reservation_id = ?", String.class, reservationId))
                .containsExactly("PENDING");
        // A pending payment is not a payment yet.
        assertThat(api.get().uri("/api/v1/users/{u}/payments", user).header("X-User-Id", Long.toString(user))
                .retrieve().body(JsonNode.class).path("payments")).isEmpty();
    }

    @Test
    void pagesTheHistoryNewestFirst() {
        long user = ids.incrementAndGet();
        for (int amount = 1; amount <= 5; amount++) {
            charge(user, amount);
        }
        JsonNode first = history(user, 0, 2);
        assertThat(first.path("entries")).extracting(e -> e.path("amount").asLong()).containsExactly(5L, 4L);
        assertThat(first.path("hasNext").asBoolean()).isTrue();
        assertThat(history(user, 1, 2).path("entries")).extracting(e -> e.path("amount").asLong()).containsExactly(3L, 2L);
        JsonNode last = history(user, 2, 2);
        assertThat(last.path("entries")).extracting(e -> e.path("amount").asLong()).containsExactly(1L);
        assertThat(last.path("hasNext").asBoolean()).isFalse();
        assertThat(history(user, 3, 2).path("entries")).isEmpty();
    }

    @Test
    void replaysAChargeForARepeatedIdempotencyKey() {
        long user = ids.incrementAndGet();
        ResponseEntity<JsonNode> first = chargeWithKey(user, "{\"amount\":500}", "charge-1");
        ResponseEntity<JsonNode> again = chargeWithKey(user, "{ \"amount\" : 500 }", "charge-1");
        assertThat(again.getStatusCode().value()).isEqualTo(200);
        assertThat(again.getBody()).isEqualTo(first.getBody());
        assertThat(again.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertProblem(chargeWithKey(user, "{\"amount\":600}", "charge-1"), 422, "IDEMPOTENCY_KEY_REUSED");
        assertThat(balance(user)).isEqualTo(500);
        assertThat(ledgerCount(user)).isEqualTo(1);
    }

    // --- helpers

    private long reserve(long userId, long amount) throws Exception {
        return reserve(userId, amount, UUID.randomUUID().toString());
    }

    /** A reservation as ReservationCreated announces it, waited for until payment-service has recorded it. */
    private long reserve(long userId, long amount, String token) throws Exception {
        long reservationId = ids.incrementAndGet();
        EventEnvelope created = send(envelope(new ReservationCreated(reservationId, userId, token, 1, 2,
                List.of(1), amount, clock.instant().plus(Duration.ofMinutes(5)))));
        awaitProcessed(created);
        return reservationId;
    }

    private EventEnvelope rejected(long reservationId, long userId, long paymentId, RejectionReason reason) {
        return envelope(new ReservationRejected(reservationId, userId, 2, paymentId, reason));
    }

    private EventEnvelope envelope(DomainEvent event) {
        return EventEnvelope.of(event, UUID.randomUUID(), clock.instant());
    }

    private EventEnvelope send(EventEnvelope envelope) throws Exception {
        producer.send(Topics.RESERVATION_EVENTS, envelope.key(), EventJson.write(envelope)).get(10, TimeUnit.SECONDS);
        return envelope;
    }

    /** Every event sent so far on schedule 2's partition is processed once a marker sent after them is. */
    private void awaitSettled() throws Exception {
        awaitProcessed(send(envelope(new ReservationExpired(999_999_000L + ids.incrementAndGet(), 1, 2, List.of(1)))));
    }

    private void awaitProcessed(EventEnvelope envelope) {
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM processed_event WHERE event_id = ?", Long.class, envelope.eventId().toString()) == 1);
    }

    private ResponseEntity<JsonNode> pay(long userId, long reservationId) {
        return api.post().uri("/api/v1/payments").header("X-User-Id", Long.toString(userId))
                .contentType(MediaType.APPLICATION_JSON).body("{\"reservationId\":" + reservationId + "}")
                .retrieve().toEntity(JsonNode.class);
    }

    private ResponseEntity<JsonNode> charge(long userId, long amount) {
        return chargeRaw(userId, userId, "{\"amount\":" + amount + "}");
    }

    private ResponseEntity<JsonNode> chargeRaw(long caller, long pathUser, String body) {
        return api.post().uri("/api/v1/users/{u}/balance/charges", pathUser).header("X-User-Id", Long.toString(caller))
                .contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(JsonNode.class);
    }

    private ResponseEntity<JsonNode> chargeWithKey(long userId, String body, String key) {
        return api.post().uri("/api/v1/users/{u}/balance/charges", userId).header("X-User-Id", Long.toString(userId))
                .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().toEntity(JsonNode.class);
    }

    private long balance(long userId) {
        JsonNode view = api.get().uri("/api/v1/users/{u}/balance", userId).header("X-User-Id", Long.toString(userId))
                .retrieve().body(JsonNode.class);
        assertThat(view.path("userId").asLong()).isEqualTo(userId);
        return view.path("balance").asLong();
    }

    private JsonNode history(long userId, int page, int size) {
        return api.get().uri("/api/v1/users/{u}/balance/history?page={p}&size={s}", userId, page, size)
                .header("X-User-Id", Long.toString(userId)).retrieve().body(JsonNode.class);
    }

    private String status(long reservationId) {
        return jdbc.queryForObject("SELECT status FROM payment WHERE reservation_id = ?", String.class, reservationId);
    }

    private long ledgerCount(long userId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM balance_ledger WHERE user_id = ?", Long.class, userId);
    }

    private void assertLedgerMatchesBalance(long userId) {
        Long sum = jdbc.queryForObject("SELECT COALESCE(SUM(amount), 0) FROM balance_ledger WHERE user_id = ?", Long.class, userId);
        Long stored = jdbc.queryForObject("SELECT balance FROM wallet WHERE user_id = ?", Long.class, userId);
        assertThat(sum).isEqualTo(stored).isEqualTo(balance(userId));
    }

    private static void assertProblem(ResponseEntity<JsonNode> answer, int status, String code) {
        assertThat(answer.getStatusCode().value()).as(String.valueOf(answer.getBody())).isEqualTo(status);
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(answer.getBody().path("code").asText()).isEqualTo(code);
    }
}
