package dev.ticketing.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.EventJson;
import dev.ticketing.events.PaymentCompleted;
import dev.ticketing.events.Topics;
import dev.ticketing.messaging.outbox.ReliableProducer;
import dev.ticketing.queue.admission.Admission;
import dev.ticketing.queue.admission.QueueMonitor;
import dev.ticketing.queue.expiry.TokenExpiry;
import dev.ticketing.queue.token.TokenSigner;
import dev.ticketing.testsupport.Concurrently;
import dev.ticketing.testsupport.MutableClock;
import dev.ticketing.testsupport.TestInfrastructure;
import dev.ticketing.testsupport.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
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

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * queue-service on a real MariaDB and Kafka broker, driven over HTTP, with time moved by an
 * injected clock and the jobs run by the test (the scheduler is off) so each step is deterministic.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        // Not the service's own group: the boot test's context, cached in this JVM, consumes the same
        // topic, and would take some of this test's events into its own schema.
        "spring.kafka.consumer.group-id=queue-service-it",
        "ticketing.queue.jobs.enabled=false",
        "ticketing.queue.admit-per-second=100",
        "ticketing.queue.max-active=1000"})
@Import(MutableClock.InContext.class)
@AutoConfigureObservability // traced as in production: joins written in batches keep each request's trace
class QueueServiceIntegrationTest {

    private static final KafkaTemplate<String, String> producer = ReliableProducer.template(TestKafka.bootstrapServers());

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "queue_it");
    }

    @AfterAll
    static void closeProducer() {
        producer.getProducerFactory().reset();
    }

    @Autowired
    MutableClock clock;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Admission admission;
    @Autowired
    TokenExpiry expiry;
    @Autowired
    TokenSigner signer;
    @Autowired
    QueueMonitor monitor;
    @Autowired
    MeterRegistry meters;
    @Autowired
    DataSource dataSource;

    private RestClient api;
    private RestClient management;

    @BeforeEach
    void freshQueue(@LocalServerPort int port, @LocalManagementPort int managementPort) {
        api = client(port);
        management = client(managementPort);
        // An empty queue whose sequences go on from where earlier tests left them.
        long lastSequence = jdbc.queryForObject("SELECT COALESCE(MAX(sequence), 0) FROM queue_token", Long.class);
        jdbc.update("DELETE FROM live_token");
        jdbc.update("DELETE FROM queue_token");
        jdbc.update("DELETE FROM outbox_event");
        jdbc.update("UPDATE queue_state SET paused = FALSE, admit_per_second = 100, max_active = 1000, "
                + "admitted_through = ?, admitted_total = 0, last_admission_at = NULL", lastSequence);
        clock.advance(Duration.ofMinutes(1));
        monitor.refresh();
    }

    @Test
    void assignsDistinctIncreasingSequencesTo500ConcurrentJoins() throws Exception {
        int clients = 20;
        int perClient = 25;
        List<Callable<List<Long>>> work = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            work.add(() -> {
                List<Long> sequences = new ArrayList<>();
                for (int i = 0; i < perClient; i++) {
                    long user = 10_000L + client * 1000L + i;
                    ResponseEntity<JsonNode> joined = join(user);
                    assertThat(joined.getStatusCode().value()).isEqualTo(201);
                    sequences.add(sequenceOf(joined.getBody().path("token").asText()));
                }
                return sequences;
            });
        }
        List<List<Long>> perClientSequences = Concurrently.run(32, work);

        Set<Long> all = new HashSet<>();
        perClientSequences.forEach(all::addAll);
        assertThat(all).hasSize(clients * perClient);
        // Each client joined one after the other: later joins got larger sequences.
        for (List<Long> sequences : perClientSequences) {
            List<Long> sorted = new ArrayList<>(sequences);
            Collections.sort(sorted);
            assertThat(sequences).isEqualTo(sorted);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event WHERE event_type = 'QueueTokenIssued'", Long.class))
                .isEqualTo(clients * perClient);
    }

    @Test
    void keepsOneLiveTokenPerUserWhenEachJoinsThreeTimesConcurrently() throws Exception {
        List<Callable<ResponseEntity<JsonNode>>> work = new ArrayList<>();
        for (int u = 0; u < 100; u++) {
            long user = 50_000L + u;
            for (int k = 0; k < 3; k++) {
                work.add(() -> join(user));
            }
        }
        Collections.shuffle(work);
        List<ResponseEntity<JsonNode>> answers = Concurrently.run(32, work);

        Map<Long, List<ResponseEntity<JsonNode>>> byUser = new HashMap<>();
        answers.forEach(a -> byUser.computeIfAbsent(a.getBody().path("userId").asLong(), k -> new ArrayList<>()).add(a));
        assertThat(byUser).hasSize(100);
        byUser.forEach((user, three) -> {
            assertThat(three).extracting(a -> a.getStatusCode().value()).containsExactlyInAnyOrder(201, 200, 200);
            assertThat(three).extracting(a -> a.getBody().path("token").asText()).containsOnly(three.get(0).getBody().path("token").asText());
        });
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM live_token", Long.class)).isEqualTo(100);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM queue_token", Long.class)).isEqualTo(100);
    }

    @Test
    void writesTheJoinsThatQueueUpWhileABatchIsWrittenInOneTransactionEachWithItsOwnTrace() throws Exception {
        DistributionSummary batches = meters.get("queue.join.batch").summary();
        long batchesBefore = batches.count();
        double joinsBefore = batches.totalAmount();
        ExecutorService clients = Executors.newFixedThreadPool(21);
        try (Connection other = dataSource.getConnection()) {
            // Another transaction is claiming user 70,000's live slot: that user's join, a batch of one,
            // waits on the key while it holds the writing lock, and twenty more joins queue up behind it.
            other.setAutoCommit(false);
            other.createStatement().executeUpdate("INSERT INTO live_token (user_id, token_id) VALUES (70000, 'claimed-elsewhere')");
            Future<ResponseEntity<JsonNode>> first = clients.submit(() -> join(70_000));
            await().atMost(Duration.ofSeconds(10)).until(() -> batches.count() == batchesBefore + 1);
            Map<Long, Future<ResponseEntity<JsonNode>>> queued = new HashMap<>();
            for (long user = 70_001; user <= 70_020; user++) {
                long u = user;
                queued.put(user, clients.submit(() -> join(u, traceparentOf(u))));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> meters.get("queue.join.queued").gauge().value() == 20);
            assertThat(first.isDone()).isFalse();

            other.rollback();
            assertThat(first.get(10, TimeUnit.SECONDS).getStatusCode().value()).isEqualTo(201);
            for (var answer : queued.values()) {
                assertThat(answer.get(10, TimeUnit.SECONDS).getStatusCode().value()).isEqualTo(201);
            }
        } finally {
            clients.shutdownNow();
        }
        // Two transactions: the first join alone, then the twenty that queued.
        assertThat(batches.count()).isEqualTo(batchesBefore + 2);
        assertThat(batches.totalAmount()).isEqualTo(joinsBefore + 21);
        // Each event carries the trace of the request that joined, not the writing thread's.
        Map<Long, String> traceOfEvent = new HashMap<>();
        jdbc.query("SELECT envelope, traceparent FROM outbox_event WHERE event_type = 'QueueTokenIssued'", rs -> {
            var issued = (dev.ticketing.events.QueueTokenIssued) EventJson.read(rs.getString(1)).payload();
            traceOfEvent.put(issued.userId(), rs.getString(2).split("-")[1]);
        });
        assertThat(traceOfEvent).hasSize(21);
        for (long user = 70_001; user <= 70_020; user++) {
            assertThat(traceOfEvent.get(user)).as("trace of user %d's event", user).isEqualTo(traceparentOf(user).split("-")[1]);
        }
    }

    private static String traceparentOf(long user) {
        return "00-%032x-%016x-01".formatted(user, user);
    }

    @Test
    void issuesAnEs256TokenThatTheGatewaysPublicKeyVerifies() throws Exception {
        ResponseEntity<JsonNode> joined = join(7);
        assertThat(joined.getStatusCode().value()).isEqualTo(201);
        JsonNode view = joined.getBody();
        assertThat(view.path("status").asText()).isEqualTo("WAITING");
        assertThat(view.path("position").asLong()).isEqualTo(1);
        assertThat(view.path("estimatedWaitSeconds").isNumber()).isTrue();
        assertThat(view.path("activeUntil").isNull()).isTrue();

        SignedJWT jwt = SignedJWT.parse(view.path("token").asText());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(signer.publicKey().getKeyID());
        assertThat(jwt.verify(new ECDSAVerifier(signer.publicKey()))).isTrue();
        var claims = jwt.getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("7");
        assertThat(UUID.fromString(claims.getJWTID())).isNotNull();
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofHours(24));

        // Joining again while live returns the same token, byte for byte, with 200.
        ResponseEntity<JsonNode> again = join(7);
        assertThat(again.getStatusCode().value()).isEqualTo(200);
        assertThat(again.getBody().path("token").asText()).isEqualTo(view.path("token").asText());
    }

    @Test
    void admitsInArrivalOrderWithinBothLimitsAndPositionsNeverGrow() {
        changeQueue(Map.of("admitPerSecond", 3, "maxActive", 5));
        List<String> tokenIds = new ArrayList<>();
        for (int u = 1; u <= 10; u++) {
            tokenIds.add(tokenIdOf(join(100 + u).getBody().path("token").asText()));
        }
        double admittedBefore = meters.get("queue.admissions").counter().count();
        clock.advance(Duration.ofSeconds(10)); // past the metrics' count cache
        assertThat(tokenGauge("waiting")).isEqualTo(10);
        assertThat(tokenGauge("active")).isZero();
        Map<String, Long> before = positions(tokenIds);

        assertThat(admission.admit()).isEqualTo(3);
        assertThat(admission.admit()).as("a second step within the same second admits nobody").isZero();
        monitor.refresh(); // as every tick does
        assertThat(statuses(tokenIds)).containsExactly("ACTIVE", "ACTIVE", "ACTIVE", "WAITING", "WAITING",
                "WAITING", "WAITING", "WAITING", "WAITING", "WAITING");
        Map<String, Long> afterFirst = positions(tokenIds);

        clock.advance(Duration.ofSeconds(1));
        assertThat(admission.admit()).as("only two more fit under max-active 5").isEqualTo(2);
        clock.advance(Duration.ofSeconds(1));
        assertThat(admission.admit()).isZero();
        monitor.refresh();
        assertThat(statuses(tokenIds).subList(0, 6)).containsExactly("ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE", "WAITING");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM queue_token WHERE status = 'ACTIVE'", Long.class)).isEqualTo(5);
        Map<String, Long> afterSecond = positions(tokenIds);

        for (String id : tokenIds) {
            assertThat(afterFirst.get(id)).isLessThanOrEqualTo(before.get(id));
            assertThat(afterSecond.get(id)).isLessThanOrEqualTo(afterFirst.get(id));
        }
        assertThat(afterSecond.get(tokenIds.get(5))).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event WHERE event_type = 'QueueTokenActivated'", Long.class)).isEqualTo(5);

        // What an operator's dashboard shows of it.
        assertThat(meters.get("queue.admissions").counter().count() - admittedBefore).isEqualTo(5);
        clock.advance(Duration.ofSeconds(10));
        assertThat(tokenGauge("waiting")).isEqualTo(5);
        assertThat(tokenGauge("active")).isEqualTo(5);
        assertThat(meters.get("queue.admission.limit").tag("limit", "max_active").gauge().value()).isEqualTo(5);
        assertThat(meters.get("queue.admission.paused").gauge().value()).isZero();
    }

    private double tokenGauge(String status) {
        return meters.get("queue.tokens").tag("status", status).gauge().value();
    }

    @Test
    void expiresActiveTokensWhenTheirTimeIsUpAndFreesTheUser() {
        String jwt = join(200).getBody().path("token").asText();
        String tokenId = tokenIdOf(jwt);
        admission.admit();
        JsonNode active = status(tokenId, 200).getBody();
        assertThat(active.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(active.path("position").asLong()).isZero();
        assertThat(active.path("estimatedWaitSeconds").asLong()).isZero();
        Instant activeUntil = Instant.parse(active.path("activeUntil").asText());
        assertThat(activeUntil).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));

        clock.set(activeUntil.minusMillis(1));
        assertThat(expiry.expireEndedActive()).isZero();
        assertThat(internalStatus(tokenId).path("status").asText()).isEqualTo("ACTIVE");

        clock.set(activeUntil);
        // Refused at once, before the job has even run.
        assertThat(internalStatus(tokenId).path("status").asText()).isEqualTo("EXPIRED");
        assertThat(expiry.expireEndedActive()).isEqualTo(1);
        JsonNode expired = status(tokenId, 200).getBody();
        assertThat(expired.path("status").asText()).isEqualTo("EXPIRED");
        assertThat(expired.path("estimatedWaitSeconds").isNull()).isTrue();
        assertThat(Instant.parse(expired.path("activeUntil").asText())).isEqualTo(activeUntil);
        assertThat(expiredReasons(tokenId)).containsExactly("ACTIVE_TTL");

        ResponseEntity<JsonNode> rejoined = join(200);
        assertThat(rejoined.getStatusCode().value()).isEqualTo(201);
        assertThat(rejoined.getBody().path("token").asText()).isNotEqualTo(jwt);
    }

    @Test
    void dropsWaitersWhoStopPollingAndWritesLastSeenAtMostEvery30Seconds() {
        String quiet = tokenIdOf(join(301).getBody().path("token").asText());
        String polling = tokenIdOf(join(302).getBody().path("token").asText());
        changeQueue(Map.of("paused", true));

        clock.advance(Duration.ofMinutes(4));
        status(polling, 302);
        Instant seen = lastSeen(polling);
        assertThat(seen).isEqualTo(clock.instant());
        clock.advance(Duration.ofSeconds(29));
        status(polling, 302);
        assertThat(lastSeen(polling)).as("a poll within 30 s writes nothing").isEqualTo(seen);

        clock.advance(Duration.ofSeconds(62)); // quiet: 5 min 31 s unseen; polling: 1 min 31 s
        assertThat(expiry.dropAbandoned()).isEqualTo(1);
        assertThat(internalStatus(quiet).path("status").asText()).isEqualTo("EXPIRED");
        assertThat(internalStatus(polling).path("status").asText()).isEqualTo("WAITING");
        assertThat(expiredReasons(quiet)).containsExactly("ABANDONED");
    }

    @Test
    void expiresTheTokenAPaymentNamesOnceEvenWhenDeliveredTwice() throws Exception {
        String tokenId = tokenIdOf(join(400).getBody().path("token").asText());
        admission.admit();
        EventEnvelope paid = EventEnvelope.of(
                new PaymentCompleted(9001, 8001, 400, tokenId, 50_000, clock.instant()), UUID.randomUUID(), clock.instant());
        String json = EventJson.write(paid);
        producer.send(Topics.PAYMENT_EVENTS, paid.key(), json).get(10, TimeUnit.SECONDS);
        producer.send(Topics.PAYMENT_EVENTS, paid.key(), json).get(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM processed_event WHERE event_id = ?", Long.class, paid.eventId().toString()) == 1
                && "EXPIRED".equals(internalStatus(tokenId).path("status").asText()));
        // Both copies have been through once a later record on the same key was applied.
        EventEnvelope marker = EventEnvelope.of(new PaymentCompleted(9002, 8001, 401, UUID.randomUUID().toString(),
                1, clock.instant()), UUID.randomUUID(), clock.instant());
        producer.send(Topics.PAYMENT_EVENTS, marker.key(), EventJson.write(marker)).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM processed_event WHERE event_id = ?", Long.class, marker.eventId().toString()) == 1);

        assertThat(expiredReasons(tokenId)).containsExactly("PAYMENT_COMPLETED");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM live_token WHERE user_id = 400", Long.class)).isZero();
    }

    @Test
    void answersTheGatewaysBatchedLookupsForKnownTokensOnly() {
        String admitted = tokenIdOf(join(600).getBody().path("token").asText());
        admission.admit();
        String waiting = tokenIdOf(join(601).getBody().path("token").asText());
        String unknown = UUID.randomUUID().toString();

        JsonNode answer = api.post().uri("/internal/tokens/statuses").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("tokenIds", List.of(admitted, waiting, unknown, "not-a-uuid", admitted)))
                .retrieve().body(JsonNode.class);

        Map<String, String> statuses = new HashMap<>();
        answer.path("tokens").forEach(t -> statuses.put(t.path("tokenId").asText(), t.path("status").asText()));
        assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(admitted, "ACTIVE", waiting, "WAITING"));
        answer.path("tokens").forEach(t -> assertThat(t.path("userId").asLong()).isIn(600L, 601L));

        ResponseEntity<JsonNode> tooMany = api.post().uri("/internal/tokens/statuses").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("tokenIds", Collections.nCopies(501, unknown))).retrieve().toEntity(JsonNode.class);
        assertThat(tooMany.getStatusCode().value()).isEqualTo(400);
    }

    @Test
    void answersBatchedStatusPollsWithEachTokensOwnViewAndRecordsThemAsSeen() {
        String admitted = tokenIdOf(join(610).getBody().path("token").asText());
        admission.admit();
        changeQueue(Map.of("paused", true));
        String waiting = tokenIdOf(join(611).getBody().path("token").asText());
        String unknown = UUID.randomUUID().toString();
        clock.advance(Duration.ofMinutes(2));
        Instant joined = lastSeen(waiting);

        JsonNode answer = polls(List.of(admitted, waiting, unknown, "not-a-uuid", waiting));

        Map<String, JsonNode> views = new HashMap<>();
        answer.path("views").forEach(v -> views.put(v.path("tokenId").asText(), v.path("view")));
        assertThat(views).containsOnlyKeys(admitted, waiting);
        // When to poll again: 10 s while paused for the waiting one, nothing for the one let in; Q2 says the same.
        Map<String, JsonNode> pollAfter = new HashMap<>();
        answer.path("views").forEach(v -> pollAfter.put(v.path("tokenId").asText(), v.path("pollAfterSeconds")));
        assertThat(pollAfter.get(waiting).asInt()).isEqualTo(10);
        assertThat(pollAfter.get(admitted).isNull()).isTrue();
        assertThat(status(waiting, 611).getHeaders().getFirst("Retry-After")).isEqualTo("10");
        assertThat(status(admitted, 610).getHeaders().getFirst("Retry-After")).isNull();
        assertThat(views.get(admitted)).as("as GET /api/v1/queue/status answers").isEqualTo(status(admitted, 610).getBody());
        assertThat(views.get(waiting).path("status").asText()).isEqualTo("WAITING");
        assertThat(views.get(waiting).path("position").asLong()).isEqualTo(1);
        assertThat(views.get(waiting).path("estimatedWaitSeconds").isNull()).as("paused").isTrue();
        assertThat(lastSeen(waiting)).as("a batched poll is a sign of life").isEqualTo(clock.instant()).isAfter(joined);
        Instant seen = lastSeen(waiting);
        clock.advance(Duration.ofSeconds(29));
        polls(List.of(waiting));
        assertThat(lastSeen(waiting)).as("within 30 s nothing is written").isEqualTo(seen);
        assertThat(views.get(waiting)).isEqualTo(status(waiting, 611).getBody());

        assertThat(polls(List.of(unknown)).path("views").size()).isZero();
        ResponseEntity<JsonNode> tooMany = api.post().uri("/internal/tokens/polls").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("tokenIds", Collections.nCopies(501, unknown))).retrieve().toEntity(JsonNode.class);
        assertThat(tooMany.getStatusCode().value()).isEqualTo(400);
    }

    @Test
    void answersBatchedJoinsInOrderAsQ1WouldEachWithItsOwnTrace() {
        ResponseEntity<JsonNode> earlier = join(620);
        Map<String, Object> first = Map.of("userId", 621, "traceparent", traceparentOf(621));
        Map<String, Object> again = Map.of("userId", 621, "traceparent", traceparentOf(6210));
        Map<String, Object> live = Map.of("userId", 620, "traceparent", "not a trace");

        JsonNode answer = api.post().uri("/internal/tokens/joins").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("joins", List.of(first, again, live))).retrieve().body(JsonNode.class);

        JsonNode joins = answer.path("joins");
        assertThat(joins).hasSize(3);
        assertThat(joins.get(0).path("userId").asLong()).isEqualTo(621);
        assertThat(joins.get(0).path("created").asBoolean()).isTrue();
        JsonNode issued = joins.get(0).path("view");
        assertThat(issued.path("status").asText()).isEqualTo("WAITING");
        assertThat(issued.path("position").asLong()).isPositive();
        assertThat(joins.get(1).path("created").asBoolean()).as("the same user again").isFalse();
        assertThat(joins.get(1).path("view")).isEqualTo(issued);
        assertThat(joins.get(2).path("created").asBoolean()).isFalse();
        assertThat(joins.get(2).path("view")).as("the live token, as Q1 answers it").isEqualTo(join(620).getBody());
        assertThat(joins.get(2).path("view").path("token").asText()).isEqualTo(earlier.getBody().path("token").asText());
        assertThat(join(621).getBody()).as("Q1 answers the batched join's token again").isEqualTo(issued);

        List<String> traces = jdbc.queryForList("SELECT traceparent FROM outbox_event WHERE event_type = 'QueueTokenIssued' "
                + "AND aggregate_id = ?", String.class, tokenIdOf(issued.path("token").asText()));
        assertThat(traces).singleElement().asString().contains("%032x".formatted(621));

        for (Object bad : List.of(List.of(), List.of(Map.of("userId", 0)), Collections.nCopies(501, Map.of("userId", 622)))) {
            ResponseEntity<JsonNode> refused = api.post().uri("/internal/tokens/joins").contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("joins", bad)).retrieve().toEntity(JsonNode.class);
            assertThat(refused.getStatusCode().value()).isEqualTo(400);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM queue_token WHERE user_id = 622", Long.class)).isZero();
    }

    @Test
    void refusesBadJoinsWithProblemsAndCreatesNothing() {
        for (String body : List.of("{\"userId\":0}", "{\"userId\":-4}", "{\"userId\":\"7\"}", "{\"userId\":7.5}",
                "{}", "{\"userId\":null}", "not json", "[7]", "{\"userId\":99999999999999999999999}")) {
            ResponseEntity<JsonNode> answer = api.post().uri("/api/v1/queue/tokens").contentType(MediaType.APPLICATION_JSON)
                    .body(body).retrieve().toEntity(JsonNode.class);
            assertThat(answer.getStatusCode().value()).as(body).isEqualTo(400);
            assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(answer.getBody().path("code").asText()).isEqualTo("INVALID_REQUEST");
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM queue_token", Long.class)).isZero();
        ResponseEntity<JsonNode> unknown = api.get().uri("/api/v1/queue/status")
                .header("X-Queue-Token-Id", UUID.randomUUID().toString()).retrieve().toEntity(JsonNode.class);
        assertThat(unknown.getStatusCode().value()).isEqualTo(401);
        assertThat(unknown.getBody().path("code").asText()).isEqualTo("TOKEN_INVALID");
        ResponseEntity<JsonNode> noToken = api.get().uri("/internal/tokens/{id}", "not-a-uuid").retrieve().toEntity(JsonNode.class);
        assertThat(noToken.getStatusCode().value()).isEqualTo(404);
        // A multipart content type without a boundary, even on a GET (found by the hostile-input suite: it was a 500).
        for (var request : List.of(api.get().uri("/api/v1/queue/status"), api.post().uri("/api/v1/queue/tokens"))) {
            ResponseEntity<JsonNode> multipart = request.header("Content-Type", "multipart/form-data")
                    .header("X-Queue-Token-Id", UUID.randomUUID().toString()).retrieve().toEntity(JsonNode.class);
            assertThat(multipart.getStatusCode().value()).isEqualTo(415);
            assertThat(multipart.getBody().path("code").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM queue_token", Long.class)).isZero();
    }

    @Test
    void letsOperatorsPauseResumeAndReadTheQueue() {
        String tokenId = tokenIdOf(join(500).getBody().path("token").asText());
        JsonNode paused = changeQueue(Map.of("paused", true));
        assertThat(paused.path("paused").asBoolean()).isTrue();
        assertThat(admission.admit()).isZero();
        assertThat(status(tokenId, 500).getBody().path("estimatedWaitSeconds").isNull()).isTrue();

        JsonNode resumed = changeQueue(Map.of("paused", false, "admitPerSecond", 7));
        assertThat(resumed.path("admitPerSecond").asInt()).isEqualTo(7);
        assertThat(resumed.path("waiting").asLong()).isEqualTo(1);
        assertThat(admission.admit()).isEqualTo(1);
        JsonNode state = management.get().uri("/actuator/queue").retrieve().body(JsonNode.class);
        assertThat(state.path("active").asLong()).isEqualTo(1);
        assertThat(state.path("admittedTotal").asLong()).isEqualTo(1);

        ResponseEntity<JsonNode> invalid = management.post().uri("/actuator/queue").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("maxActive", -1)).retrieve().toEntity(JsonNode.class);
        assertThat(invalid.getStatusCode().value()).isEqualTo(400);
    }

    private ResponseEntity<JsonNode> join(long userId) {
        return api.post().uri("/api/v1/queue/tokens").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("userId", userId)).retrieve().toEntity(JsonNode.class);
    }

    private ResponseEntity<JsonNode> join(long userId, String traceparent) {
        return api.post().uri("/api/v1/queue/tokens").contentType(MediaType.APPLICATION_JSON).header("traceparent", traceparent)
                .body(Map.of("userId", userId)).retrieve().toEntity(JsonNode.class);
    }

    private ResponseEntity<JsonNode> status(String tokenId, long userId) {
        // As the gateway forwards it: identity from the verified token.
        return api.get().uri("/api/v1/queue/status")
                .header("X-Queue-Token-Id", tokenId).header("X-User-Id", Long.toString(userId))
                .retrieve().toEntity(JsonNode.class);
    }

    private JsonNode polls(List<String> tokenIds) {
        return api.post().uri("/internal/tokens/polls").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("tokenIds", tokenIds)).retrieve().body(JsonNode.class);
    }

    private JsonNode internalStatus(String tokenId) {
        return api.get().uri("/internal/tokens/{id}", tokenId).retrieve().body(JsonNode.class);
    }

    private JsonNode changeQueue(Map<String, Object> change) {
        return management.post().uri("/actuator/queue").contentType(MediaType.APPLICATION_JSON)
                .body(change).retrieve().body(JsonNode.class);
    }

    private Map<String, Long> positions(List<String> tokenIds) {
        Map<String, Long> positions = new HashMap<>();
        for (String id : tokenIds) {
            long user = jdbc.queryForObject("SELECT user_id FROM queue_token WHERE token_id = ?", Long.class, id);
            positions.put(id, status(id, user).getBody().path("position").asLong());
        }
        return positions;
    }

    private List<String> statuses(List<String> tokenIds) {
        return tokenIds.stream().map(id -> internalStatus(id).path("status").asText()).toList();
    }

    private List<String> expiredReasons(String tokenId) {
        return jdbc.queryForList("SELECT envelope FROM outbox_event WHERE event_type = 'QueueTokenExpired' ORDER BY id", String.class)
                .stream().map(EventJson::read)
                .map(e -> (dev.ticketing.events.QueueTokenExpired) e.payload())
                .filter(e -> e.tokenId().equals(tokenId))
                .map(e -> e.reason().name()).toList();
    }

    private Instant lastSeen(String tokenId) {
        return jdbc.queryForObject("SELECT last_seen_at FROM queue_token WHERE token_id = ?",
                (rs, n) -> rs.getObject(1, java.time.LocalDateTime.class).toInstant(java.time.ZoneOffset.UTC), tokenId);
    }

    private long sequenceOf(String jwt) {
        return jdbc.queryForObject("SELECT sequence FROM queue_token WHERE token_id = ?", Long.class, tokenIdOf(jwt));
    }

    private static String tokenIdOf(String jwt) {
        try {
            return SignedJWT.parse(jwt).getJWTClaimsSet().getJWTID();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RestClient client(int port) {
        return RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> { })
                .build();
    }
}
