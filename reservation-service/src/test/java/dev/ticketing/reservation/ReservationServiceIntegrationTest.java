package dev.ticketing.reservation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.events.DomainEvent;
import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.EventJson;
import dev.ticketing.events.PaymentCompleted;
import dev.ticketing.events.RejectionReason;
import dev.ticketing.events.ReservationCancelled;
import dev.ticketing.events.ReservationConfirmed;
import dev.ticketing.events.ReservationCreated;
import dev.ticketing.events.ReservationExpired;
import dev.ticketing.events.ReservationRejected;
import dev.ticketing.events.Topics;
import dev.ticketing.messaging.idempotency.IdempotentCommands;
import dev.ticketing.messaging.outbox.ReliableProducer;
import dev.ticketing.reservation.expiry.HoldExpiry;
import dev.ticketing.testsupport.Concurrently;
import dev.ticketing.testsupport.LoggedEvents;
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
import org.springframework.boot.test.web.server.LocalManagementPort;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * reservation-service on a real MariaDB and Kafka broker, driven over HTTP as the gateway would
 * (identity in X-User-Id and X-Queue-Token-Id), with concert-service's internal endpoint served by
 * a stub HTTP server, time moved by an injected clock and the expiry job run by the test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        // Not the service's own group: the boot test's context, cached in this JVM, consumes the same
        // topic, and would take some of this test's events into its own schema.
        "spring.kafka.consumer.group-id=reservation-service-it",
        "ticketing.reservation.jobs.enabled=false",
        // No health checks: a stopped instance stays listed, so that what the tests show is the call's retry on the
        // next instance and the 503 when none answers, and a restarted one is called again at once.
        "ticketing.internal-calls.health-checks=false",
        "ticketing.outbox.test-switch=true"})
@Import(MutableClock.InContext.class)
class ReservationServiceIntegrationTest {

    static final StubConcertService concerts = new StubConcertService();
    private static final KafkaTemplate<String, String> producer = ReliableProducer.template(TestKafka.bootstrapServers());
    private static final AtomicLong ids = new AtomicLong(1000);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "reservation_it");
        concerts.start();
        concerts.register(registry);
    }

    @AfterAll
    static void stopStubs() {
        concerts.stop();
        producer.getProducerFactory().reset();
    }

    @Autowired
    MutableClock clock;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    HoldExpiry expiry;
    @Autowired
    CircuitBreakerRegistry breakers;

    private RestClient api;
    private RestClient management;
    private long scheduleId;

    @BeforeEach
    void freshSchedule(@LocalServerPort int port, @LocalManagementPort int managementPort) {
        api = client(port);
        management = client(managementPort);
        concerts.start();
        breakers.circuitBreaker("concert-service").reset();
        scheduleId = ids.incrementAndGet();
        concerts.schedule(scheduleId, 7, clock.instant().plus(Duration.ofDays(30)), 50);
    }

    @Test
    void holdsSeatsAndPublishesReservationCreatedKeyedBySchedule() {
        String token = token();
        ResponseEntity<JsonNode> held = hold(41, token, List.of(12, 3));

        assertThat(held.getStatusCode().value()).isEqualTo(201);
        JsonNode view = held.getBody();
        long reservationId = view.path("reservationId").asLong();
        assertThat(view.path("userId").asLong()).isEqualTo(41);
        assertThat(view.path("concertId").asLong()).isEqualTo(7);
        assertThat(view.path("scheduleId").asLong()).isEqualTo(scheduleId);
        assertThat(view.path("seatNos")).extracting(JsonNode::asInt).containsExactly(3, 12);
        assertThat(view.path("amount").asLong()).isEqualTo(StubConcertService.price(3) + StubConcertService.price(12));
        assertThat(view.path("status").asText()).isEqualTo("PENDING_PAYMENT");
        assertThat(Instant.parse(view.path("expiresAt").asText())).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(heldSeats()).containsExactlyInAnyOrderEntriesOf(Map.of(3, reservationId, 12, reservationId));

        try (TopicReader reader = new TopicReader(TestKafka.bootstrapServers(), Topics.RESERVATION_EVENTS,
                r -> Long.toString(scheduleId).equals(r.key()))) {
            var records = reader.readUntil(r -> !r.isEmpty(), Duration.ofSeconds(30));
            assertThat(records).hasSize(1);
            assertThat(TopicReader.header(records.get(0), "eventType")).isEqualTo("ReservationCreated");
            ReservationCreated created = (ReservationCreated) EventJson.read(records.get(0).value()).payload();
            assertThat(created).isEqualTo(new ReservationCreated(reservationId, 41, token, 7, scheduleId, List.of(3, 12),
                    view.path("amount").asLong(), Instant.parse(view.path("expiresAt").asText())));
        }

        // The owner reads it; another user may not.
        assertThat(api.get().uri("/api/v1/reservations/{id}", reservationId).header("X-User-Id", "41")
                .retrieve().body(JsonNode.class)).isEqualTo(view);
        ResponseEntity<JsonNode> foreign = api.get().uri("/api/v1/reservations/{id}", reservationId)
                .header("X-User-Id", "42").retrieve().toEntity(JsonNode.class);
        assertProblem(foreign, 403, "FORBIDDEN");
        // payment-service's fallback sees the view plus the token.
        JsonNode internal = api.get().uri("/internal/reservations/{id}", reservationId).retrieve().body(JsonNode.class);
        assertThat(internal.path("queueTokenId").asText()).isEqualTo(token);
        assertThat(internal.path("amount").asLong()).isEqualTo(view.path("amount").asLong());
        assertProblem(api.get().uri("/internal/reservations/{id}", 999_999_999).retrieve().toEntity(JsonNode.class),
                404, "RESERVATION_NOT_FOUND");
    }

    @Test
    void neverHoldsASeatTwiceAmong1000ConcurrentHoldRequests() throws Exception {
        Random random = new Random(42);
        List<List<Integer>> requests = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int a = 1 + random.nextInt(50);
            if (random.nextBoolean()) {
                requests.add(List.of(a));
            } else {
                int b;
                do {
                    b = 1 + random.nextInt(50);
                } while (b == a);
                requests.add(List.of(a, b));
            }
        }
        List<Callable<ResponseEntity<JsonNode>>> work = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            List<Integer> seats = requests.get(i);
            long user = 100_000 + i;
            work.add(() -> hold(user, token(), seats));
        }
        List<ResponseEntity<JsonNode>> answers = Concurrently.run(64, work);

        Map<Integer, Long> winners = new HashMap<>();
        int created = 0;
        for (int i = 0; i < answers.size(); i++) {
            ResponseEntity<JsonNode> answer = answers.get(i);
            if (answer.getStatusCode().value() == 201) {
                created++;
                long reservationId = answer.getBody().path("reservationId").asLong();
                for (int seat : requests.get(i)) {
                    assertThat(winners.put(seat, reservationId)).as("seat %d held twice", seat).isNull();
                }
            } else {
                assertProblem(answer, 409, "SEAT_UNAVAILABLE");
                List<Integer> named = new ArrayList<>();
                answer.getBody().path("seatNos").forEach(n -> named.add(n.asInt()));
                assertThat(named).isNotEmpty().isSubsetOf(requests.get(i));
            }
        }
        assertThat(created).isPositive();
        // The database agrees with the answers: every won seat held once by its winner, no other hold.
        assertThat(heldSeats()).isEqualTo(winners);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM reservation WHERE schedule_id = ?", Long.class, scheduleId))
                .isEqualTo(created);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event WHERE event_type = 'ReservationCreated' "
                + "AND message_key = ?", Long.class, Long.toString(scheduleId))).isEqualTo(created);
    }

    @Test
    void holdsAllSeatsOrNoneUnderContention() throws Exception {
        // 200 requests of four overlapping seats each (windows of 1-7): whoever wins, no partial hold remains.
        Random random = new Random(7);
        List<Callable<ResponseEntity<JsonNode>>> work = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int first = 1 + random.nextInt(4);
            long user = 200_000 + i;
            work.add(() -> hold(user, token(), List.of(first, first + 1, first + 2, first + 3)));
        }
        List<ResponseEntity<JsonNode>> answers = Concurrently.run(32, work);

        List<JsonNode> won = answers.stream().filter(a -> a.getStatusCode().value() == 201).map(ResponseEntity::getBody).toList();
        answers.stream().filter(a -> a.getStatusCode().value() != 201).forEach(a -> assertProblem(a, 409, "SEAT_UNAVAILABLE"));
        assertThat(won).hasSize(1); // every window of four among seats 1..7 overlaps every other
        Map<Integer, Long> expected = new HashMap<>();
        won.get(0).path("seatNos").forEach(s -> expected.put(s.asInt(), won.get(0).path("reservationId").asLong()));
        assertThat(heldSeats()).isEqualTo(expected);

        // A request that overlaps one held seat holds none of the others.
        int taken = won.get(0).path("seatNos").get(0).asInt();
        ResponseEntity<JsonNode> refused = hold(299_999, token(), List.of(taken, 40, 41));
        assertProblem(refused, 409, "SEAT_UNAVAILABLE");
        assertThat(refused.getBody().path("seatNos")).extracting(JsonNode::asInt).containsExactly(taken);
        assertThat(heldSeats()).doesNotContainKeys(40, 41);
    }

    @Test
    void allowsOneLiveReservationPerQueueTokenUntilItEnds() {
        String token = token();
        long first = hold(51, token, List.of(1)).getBody().path("reservationId").asLong();

        try (LoggedEvents logged = LoggedEvents.atOrAbove("WARN")) {
            assertProblem(hold(51, token, List.of(2)), 409, "RESERVATION_LIMIT");
            assertThat(logged.lines()).as("an expected refusal logs no warning or error").isEmpty();
        }
        assertThat(heldSeats()).containsOnlyKeys(1);

        assertThat(cancel(51, first).getStatusCode().value()).isEqualTo(200);
        assertThat(hold(51, token, List.of(2)).getStatusCode().value()).isEqualTo(201);
    }

    /**
     * A seat is sold for a price: one the catalogue lists at 0 (concert-service refuses to store such a price
     * since V3; an older catalogue may still serve one) is not for sale, refused as unavailable, never a 500.
     */
    @Test
    void refusesSeatsWithoutAPriceAsUnavailableAndWritesNothing() {
        long unpriced = ids.incrementAndGet();
        concerts.schedule(unpriced, 7, clock.instant().plus(Duration.ofDays(30)), 50,
                seatNo -> seatNo == 3 ? 0 : StubConcertService.price(seatNo));

        ResponseEntity<JsonNode> alone = hold(65, token(), List.of(3), unpriced);
        ResponseEntity<JsonNode> withOthers = hold(66, token(), List.of(2, 3, 4), unpriced);

        for (ResponseEntity<JsonNode> refused : List.of(alone, withOthers)) {
            assertProblem(refused, 409, "SEAT_UNAVAILABLE");
            assertThat(refused.getBody().path("seatNos")).extracting(JsonNode::asInt).containsExactly(3);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM reservation WHERE schedule_id = ?", Long.class, unpriced)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM seat_hold WHERE schedule_id = ?", Long.class, unpriced)).isZero();
        assertThat(hold(66, token(), List.of(2, 4), unpriced).getStatusCode().value()).isEqualTo(201);
    }

    @Test
    void refusesHoldsOnAScheduleThatHasStarted() {
        long started = ids.incrementAndGet();
        concerts.schedule(started, 7, clock.instant().minusSeconds(1), 50);

        assertProblem(hold(61, token(), List.of(1), started), 409, "SCHEDULE_CLOSED");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM reservation WHERE schedule_id = ?", Long.class, started)).isZero();
    }

    @Test
    void releasesAnUnpaidHoldAfterItsDeadlineAndGrace() {
        long reservationId = hold(71, token(), List.of(5, 6)).getBody().path("reservationId").asLong();

        clock.advance(Duration.ofMinutes(5).plusSeconds(9));
        expiry.expireDue();
        assertThat(status(71, reservationId)).isEqualTo("PENDING_PAYMENT");
        assertThat(heldSeats()).containsOnlyKeys(5, 6);

        clock.advance(Duration.ofSeconds(1)); // expiresAt + 10 s grace
        expiry.expireDue();
        assertThat(status(71, reservationId)).isEqualTo("EXPIRED");
        assertThat(heldSeats()).isEmpty();
        assertThat(events(reservationId)).containsExactly(
                created(reservationId), new ReservationExpired(reservationId, 71, scheduleId, List.of(5, 6)));
        assertProblem(cancel(71, reservationId), 409, "RESERVATION_NOT_PENDING");

        // Released seats can be held again.
        assertThat(hold(72, token(), List.of(5)).getStatusCode().value()).isEqualTo(201);
    }

    @Test
    void cancelsAPendingHoldForItsOwnerOnly() {
        long reservationId = hold(81, token(), List.of(9)).getBody().path("reservationId").asLong();

        assertProblem(cancel(82, reservationId), 403, "FORBIDDEN");
        ResponseEntity<JsonNode> cancelled = cancel(81, reservationId);
        assertThat(cancelled.getStatusCode().value()).isEqualTo(200);
        assertThat(cancelled.getBody().path("status").asText()).isEqualTo("CANCELLED");
        assertThat(heldSeats()).isEmpty();
        // Cancelling again answers the same view and publishes nothing more.
        assertThat(cancel(81, reservationId).getBody()).isEqualTo(cancelled.getBody());
        assertThat(events(reservationId)).containsExactly(
                created(reservationId), new ReservationCancelled(reservationId, 81, scheduleId, List.of(9)));
        assertProblem(cancel(81, 999_999_999), 404, "RESERVATION_NOT_FOUND");
    }

    @Test
    void confirmsAPaidHoldOnceEvenWhenThePaymentIsDeliveredTwice() throws Exception {
        long reservationId = hold(91, token(), List.of(20, 21)).getBody().path("reservationId").asLong();

        EventEnvelope paid = paymentCompleted(reservationId, 91);
        send(paid);
        send(paid);
        awaitBothCopies(paid);

        assertThat(status(91, reservationId)).isEqualTo("CONFIRMED");
        assertThat(jdbc.queryForList("SELECT status FROM seat_hold WHERE reservation_id = ?", String.class, reservationId))
                .containsExactly("SOLD", "SOLD");
        long paymentId = ((PaymentCompleted) paid.payload()).paymentId();
        assertThat(events(reservationId)).containsExactly(created(reservationId),
                new ReservationConfirmed(reservationId, 91, scheduleId, List.of(20, 21), paymentId));
        assertProblem(cancel(91, reservationId), 409, "RESERVATION_NOT_PENDING");

        // A paid hold is never released by the expiry job.
        clock.advance(Duration.ofMinutes(6));
        expiry.expireDue();
        assertThat(status(91, reservationId)).isEqualTo("CONFIRMED");
        assertThat(heldSeats()).containsOnlyKeys(20, 21);
    }

    @Test
    void rejectsAPaymentThatArrivesAfterTheHoldWasReleased() throws Exception {
        long expired = hold(101, token(), List.of(30)).getBody().path("reservationId").asLong();
        clock.advance(Duration.ofMinutes(5).plusSeconds(10));
        expiry.expireDue();
        long cancelled = hold(102, token(), List.of(31)).getBody().path("reservationId").asLong();
        cancel(102, cancelled);

        EventEnvelope late = paymentCompleted(expired, 101);
        send(late);
        send(late);
        EventEnvelope afterCancel = paymentCompleted(cancelled, 102);
        send(afterCancel);
        awaitBothCopies(late);
        awaitBothCopies(afterCancel);

        long latePayment = ((PaymentCompleted) late.payload()).paymentId();
        assertThat(events(expired)).containsExactly(created(expired),
                new ReservationExpired(expired, 101, scheduleId, List.of(30)),
                new ReservationRejected(expired, 101, scheduleId, latePayment, RejectionReason.HOLD_EXPIRED));
        assertThat(events(cancelled)).last().isEqualTo(new ReservationRejected(cancelled, 102, scheduleId,
                ((PaymentCompleted) afterCancel.payload()).paymentId(), RejectionReason.CANCELLED));
        assertThat(status(101, expired)).isEqualTo("EXPIRED");
        assertThat(heldSeats()).isEmpty();
    }

    @Test
    void refusesBadInputWithProblemsAndStoresNothing() {
        long reservationsBefore = count("reservation");
        String token = token();
        Map<String, Integer> bodies = new java.util.LinkedHashMap<>();
        bodies.put("not json", 400);
        bodies.put("[1]", 400);
        bodies.put("{}", 400);
        bodies.put("{\"scheduleId\":" + scheduleId + "}", 400);
        bodies.put("{\"seatNos\":[1]}", 400);
        bodies.put("{\"scheduleId\":\"" + scheduleId + "\",\"seatNos\":[1]}", 400);
        bodies.put("{\"scheduleId\":" + scheduleId + ".5,\"seatNos\":[1]}", 400);
        bodies.put("{\"scheduleId\":0,\"seatNos\":[1]}", 400);
        bodies.put("{\"scheduleId\":-3,\"seatNos\":[1]}", 400);
        bodies.put("{\"scheduleId\":99999999999999999999999,\"seatNos\":[1]}", 400);
        bodies.put("{\"scheduleId\":" + scheduleId + ",\"seatNos\":[]}", 400);
        bodies.put("{\"scheduleId\":" + scheduleId + ",\"seatNos\":[1,1]}", 400);
        bodies.put("{\"scheduleId\":" + scheduleId + ",\"seatNos\":[1,2,3,4,5]}", 400);
        bodies.put("{\"scheduleId\":" + scheduleId + ",\"seatNos\":[0]}", 400);
        bodies.put("{\"scheduleId\":" + scheduleId + ",\"seatNos\":[51]}", 400);
        bodies.put("{\"scheduleId\":" + scheduleId + ",\"seatNos\":[null]}", 400);
        bodies.put("{\"scheduleId\":" + scheduleId + ",\"seatNos\":[\"1\"]}", 400);
        bodies.put("{\"scheduleId\":" + scheduleId + ",\"seatNos\":1}", 400);
        bodies.put("{\"scheduleId\":999999999,\"seatNos\":[1]}", 404);
        bodies.forEach((body, status) -> {
            ResponseEntity<JsonNode> answer = api.post().uri("/api/v1/reservations").contentType(MediaType.APPLICATION_JSON)
                    .header("X-User-Id", "111").header("X-Queue-Token-Id", token).body(body)
                    .retrieve().toEntity(JsonNode.class);
            assertProblem(answer, status, status == 404 ? "SCHEDULE_NOT_FOUND" : "INVALID_REQUEST");
        });
        // Seats beyond a smaller schedule's count.
        long small = ids.incrementAndGet();
        concerts.schedule(small, 7, clock.instant().plus(Duration.ofDays(3)), 20);
        assertProblem(hold(111, token, List.of(21), small), 400, "INVALID_REQUEST");
        // Without the gateway's identity headers.
        assertProblem(api.post().uri("/api/v1/reservations").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("scheduleId", scheduleId, "seatNos", List.of(1))).retrieve().toEntity(JsonNode.class),
                401, "TOKEN_MISSING");
        // Wrong content type and method.
        assertThat(api.post().uri("/api/v1/reservations").contentType(MediaType.TEXT_PLAIN).header("X-User-Id", "111")
                .header("X-Queue-Token-Id", token).body("x").retrieve().toEntity(JsonNode.class).getStatusCode().value())
                .isEqualTo(415);
        assertProblem(api.put().uri("/api/v1/reservations/1").header("X-User-Id", "111").retrieve().toEntity(JsonNode.class),
                405, "METHOD_NOT_ALLOWED");
        // Bad path ids on R2 and R3.
        for (String id : List.of("abc", "0", "-1", "99999999999999999999", "1.5", "+7", "007", "0x10")) {
            assertProblem(api.get().uri("/api/v1/reservations/" + id).header("X-User-Id", "111").retrieve()
                    .toEntity(JsonNode.class), 400, "INVALID_REQUEST");
            assertProblem(api.delete().uri("/api/v1/reservations/" + id).header("X-User-Id", "111").retrieve()
                    .toEntity(JsonNode.class), 400, "INVALID_REQUEST");
        }
        assertProblem(api.get().uri("/api/v1/reservations/1").retrieve().toEntity(JsonNode.class), 401, "TOKEN_MISSING");

        assertThat(count("reservation")).isEqualTo(reservationsBefore);
        assertThat(heldSeats()).isEmpty();
    }

    @Test
    void answers503QuicklyWhenConcertServiceIsDownAndServesCachedSchedules() {
        assertThat(hold(121, token(), List.of(1)).getStatusCode().value()).isEqualTo(201); // now cached
        long uncached = ids.incrementAndGet();
        concerts.schedule(uncached, 7, clock.instant().plus(Duration.ofDays(3)), 50);
        concerts.stop();
        try {
            long started = System.nanoTime();
            ResponseEntity<JsonNode> down = hold(122, token(), List.of(1), uncached);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertProblem(down, 503, "SERVICE_UNAVAILABLE");
            assertThat(down.getHeaders().getFirst("Retry-After")).isNotNull();
            assertThat(millis).as("answered within the 2 s budget").isLessThan(2000);

            assertThat(hold(123, token(), List.of(2)).getStatusCode().value()).isEqualTo(201);
        } finally {
            concerts.start();
        }
        breakers.circuitBreaker("concert-service").reset();
        assertThat(hold(124, token(), List.of(3), uncached).getStatusCode().value()).isEqualTo(201);
    }

    @Test
    void holdsWhileOneConcertServiceInstanceIsDownTheCallsGoingToTheOther() {
        concerts.stopFirstInstance();
        try {
            int secondBefore = concerts.secondInstanceCalls();
            for (int i = 0; i < 4; i++) {
                long uncached = ids.incrementAndGet();
                concerts.schedule(uncached, 7, clock.instant().plus(Duration.ofDays(3)), 50);
                assertThat(hold(141 + i, token(), List.of(1), uncached).getStatusCode().value()).as("hold %d", i).isEqualTo(201);
            }
            assertThat(concerts.secondInstanceCalls() - secondBefore).as("schedules fetched from the second instance").isEqualTo(4);
        } finally {
            concerts.start();
        }
    }

    @Test
    void replaysTheFirstAnswerForARepeatedIdempotencyKey() {
        String token = token();
        ResponseEntity<JsonNode> first = hold(131, token, List.of(44), scheduleId, "key-131");
        ResponseEntity<JsonNode> again = hold(131, token, List.of(44), scheduleId, "key-131");

        assertThat(first.getStatusCode().value()).isEqualTo(201);
        assertThat(again.getStatusCode().value()).isEqualTo(201);
        assertThat(again.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.getBody()).isEqualTo(first.getBody());
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM reservation WHERE schedule_id = ?", Long.class, scheduleId)).isOne();

        assertProblem(hold(131, token, List.of(45), scheduleId, "key-131"), 422, "IDEMPOTENCY_KEY_REUSED");
        // Keys are per user: another user's same key is a new request (refused here for the seat).
        ResponseEntity<JsonNode> other = hold(132, token(), List.of(44), scheduleId, "key-131");
        assertProblem(other, 409, "SEAT_UNAVAILABLE");
        // A refusal is replayed as well.
        ResponseEntity<JsonNode> otherAgain = hold(132, token(), List.of(44), scheduleId, "key-131");
        assertThat(otherAgain.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(otherAgain.getBody()).isEqualTo(other.getBody());

        assertProblem(hold(133, token(), List.of(46), scheduleId, "x".repeat(256)), 400, "INVALID_REQUEST");
        assertProblem(hold(133, token(), List.of(46), scheduleId, "has space"), 400, "INVALID_REQUEST");

        // A first request still running: the duplicate is told to retry, and nothing is held.
        jdbc.update("INSERT INTO idempotency_record (user_id, scope, idem_key, request_hash, state, created_at) "
                + "VALUES (134, 'POST /reservations', 'running', 'x', 'IN_PROGRESS', ?)",
                java.time.LocalDateTime.ofInstant(clock.instant(), java.time.ZoneOffset.UTC));
        assertProblem(hold(134, token(), List.of(47), scheduleId, "running"), 422, "IDEMPOTENCY_KEY_REUSED");
        jdbc.update("UPDATE idempotency_record SET request_hash = ? WHERE user_id = 134",
                IdempotentCommands.requestHash(Map.of("scheduleId", scheduleId, "seatNos", List.of(47))));
        assertProblem(hold(134, token(), List.of(47), scheduleId, "running"), 409, "IDEMPOTENCY_IN_PROGRESS");
        assertThat(heldSeats()).containsOnlyKeys(44);
    }

    @Test
    void letsTheOutboxRelayBePausedThroughTheTestSwitch() {
        JsonNode paused = management.post().uri("/actuator/outbox").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("paused", true)).retrieve().body(JsonNode.class);
        try {
            assertThat(paused.path("paused").asBoolean()).isTrue();
            long reservationId = hold(141, token(), List.of(10)).getBody().path("reservationId").asLong();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event WHERE aggregate_id = ? AND sent_at IS NULL",
                    Long.class, Long.toString(reservationId))).isOne();
        } finally {
            management.post().uri("/actuator/outbox").contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("paused", false)).retrieve().body(JsonNode.class);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM outbox_event WHERE sent_at IS NULL", Long.class) == 0);
    }

    private ResponseEntity<JsonNode> hold(long userId, String token, List<Integer> seatNos) {
        return hold(userId, token, seatNos, scheduleId);
    }

    private ResponseEntity<JsonNode> hold(long userId, String token, List<Integer> seatNos, long schedule) {
        return hold(userId, token, seatNos, schedule, null);
    }

    private ResponseEntity<JsonNode> hold(long userId, String token, List<Integer> seatNos, long schedule, String key) {
        var request = api.post().uri("/api/v1/reservations").contentType(MediaType.APPLICATION_JSON)
                .header("X-User-Id", Long.toString(userId)).header("X-Queue-Token-Id", token);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.body(Map.of("scheduleId", schedule, "seatNos", seatNos)).retrieve().toEntity(JsonNode.class);
    }

    private ResponseEntity<JsonNode> cancel(long userId, long reservationId) {
        return api.delete().uri("/api/v1/reservations/{id}", reservationId).header("X-User-Id", Long.toString(userId))
                .retrieve().toEntity(JsonNode.class);
    }

    private String status(long userId, long reservationId) {
        return api.get().uri("/api/v1/reservations/{id}", reservationId).header("X-User-Id", Long.toString(userId))
                .retrieve().body(JsonNode.class).path("status").asText();
    }

    /** The seats of this test's schedule that are held or sold, and by which reservation. */
    private Map<Integer, Long> heldSeats() {
        Map<Integer, Long> held = new HashMap<>();
        jdbc.query("SELECT seat_no, reservation_id FROM seat_hold WHERE schedule_id = ?",
                rs -> {
                    held.put(rs.getInt(1), rs.getLong(2));
                }, scheduleId);
        return held;
    }

    private List<DomainEvent> events(long reservationId) {
        return jdbc.queryForList("SELECT envelope FROM outbox_event WHERE aggregate_type = 'Reservation' "
                        + "AND aggregate_id = ? ORDER BY id", String.class, Long.toString(reservationId))
                .stream().map(e -> EventJson.read(e).payload()).toList();
    }

    private ReservationCreated created(long reservationId) {
        return (ReservationCreated) events(reservationId).get(0);
    }

    private EventEnvelope paymentCompleted(long reservationId, long userId) {
        return EventEnvelope.of(new PaymentCompleted(ids.incrementAndGet(), reservationId, userId,
                UUID.randomUUID().toString(), 100_000, clock.instant()), UUID.randomUUID(), clock.instant());
    }

    private EventEnvelope send(EventEnvelope envelope) throws Exception {
        return send(envelope, envelope.key());
    }

    private EventEnvelope send(EventEnvelope envelope, String key) throws Exception {
        producer.send(Topics.PAYMENT_EVENTS, key, EventJson.write(envelope)).get(10, TimeUnit.SECONDS);
        return envelope;
    }

    /**
     * Waits until every copy of {@code sent} has been consumed: a marker (a payment of no known
     * reservation) sent after them on the same key, so the same partition, is processed last.
     */
    private void awaitBothCopies(EventEnvelope sent) throws Exception {
        awaitProcessed(sent);
        awaitProcessed(send(paymentCompleted(999_000_000L + ids.incrementAndGet(), 1), sent.key()));
    }

    private void awaitProcessed(EventEnvelope envelope) {
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM processed_event WHERE event_id = ?", Long.class, envelope.eventId().toString()) == 1);
    }

    private long count(String table) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
    }

    private static String token() {
        return UUID.randomUUID().toString();
    }

    private static void assertProblem(ResponseEntity<JsonNode> answer, int status, String code) {
        assertThat(answer.getStatusCode().value()).as(String.valueOf(answer.getBody())).isEqualTo(status);
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(answer.getBody().path("code").asText()).isEqualTo(code);
    }

    private static RestClient client(int port) {
        return RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> { })
                .build();
    }
}
