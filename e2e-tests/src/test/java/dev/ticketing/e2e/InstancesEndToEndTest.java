package dev.ticketing.e2e;

import dev.ticketing.e2e.PublicApi.Answer;
import dev.ticketing.e2e.PublicApi.Shopper;
import dev.ticketing.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What only several instances of a service show, against the suite running two of each: the outbox relay's
 * lease taken over when its holder is killed (with each key's events still in commit order), queue admission
 * moving to the other instance when the admitting one is killed in the middle of a tick, and every gateway
 * behind the load balancer checking tokens and answering joins and polls on its own.
 */
@Tag("faults")
class InstancesEndToEndTest {

    private static Journeys journeys;
    private static Stack stack;

    @BeforeAll
    static void start() {
        journeys = Journeys.shared();
        stack = journeys.stack;
    }

    /**
     * Charges written without pause on two threads while the payment-service instance holding the relay lease is
     * killed: the other instance takes the lease over, every event is published, each user's BalanceCharged events
     * in the order they were committed; prints how long nothing was published and the commit-to-publish figures.
     */
    @Test
    void theRelayMovesToTheOtherInstanceWhenItsHolderIsKilledAndEachKeyStaysInOrder() throws Exception {
        String module = "payment-service";
        Assumptions.assumeTrue(stack.instances(module).size() > 1, module + " runs one instance here");
        String victim = instanceWithPid(module, Long.parseLong(single("payment",
                "SELECT holder FROM messaging_lease WHERE name = 'outbox-relay'").split("/")[1]));
        // Eight users, so that no token comes near its rate limit (20/s at each gateway).
        List<Shopper> payers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            payers.add(journeys.buyer());
        }
        long firstId = Long.parseLong(single("payment", "SELECT COALESCE(MAX(id), 0) FROM outbox_event"));

        AtomicBoolean writing = new AtomicBoolean(true);
        Map<Integer, Integer> answers = new TreeMap<>();
        ExecutorService writers = Executors.newFixedThreadPool(2);
        for (int w = 0; w < 2; w++) {
            List<Shopper> mine = payers.subList(w * 4, w * 4 + 4);
            writers.submit(() -> {
                for (int i = 0; writing.get(); i++) {
                    Answer charged = journeys.chargeOneWon(mine.get(i % mine.size()));
                    synchronized (answers) {
                        answers.merge(charged.status(), 1, Integer::sum);
                    }
                }
            });
        }
        Instant killedAt;
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Long.parseLong(single("payment",
                    "SELECT COUNT(*) FROM outbox_event WHERE id > " + firstId)) >= 100);
            killedAt = Instant.now();
            stack.stack.kill(victim);
            await().atMost(Duration.ofSeconds(60)).until(() -> Long.parseLong(single("payment",
                    "SELECT COUNT(*) FROM outbox_event WHERE id > " + firstId + " AND created_at > '"
                            + LocalDateTime.ofInstant(killedAt.plusSeconds(15), ZoneOffset.UTC) + "'")) >= 50);
        } finally {
            writing.set(false);
            writers.shutdown();
            writers.awaitTermination(30, TimeUnit.SECONDS);
        }
        journeys.settle();
        stack.stack.restart(victim);

        // Every event written published, and each key's first copies in the order of their rows.
        List<Row> rows = new ArrayList<>();
        try (Connection c = SuiteState.connect(stack.database(), "payment"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, event_id, message_key, created_at FROM outbox_event WHERE id > "
                     + firstId + " ORDER BY id")) {
            while (rs.next()) {
                rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, LocalDateTime.class).toInstant(ZoneOffset.UTC)));
            }
        }
        Map<String, ConsumerRecord<String, String>> firstCopy = new HashMap<>();
        int copies = 0;
        for (ConsumerRecord<String, String> record : journeys.topics.readAll(Topics.PAYMENT_EVENTS)) {
            Header eventId = record.headers().lastHeader("eventId");
            if (eventId != null) {
                copies++;
                firstCopy.putIfAbsent(new String(eventId.value(), StandardCharsets.UTF_8), record);
            }
        }
        Map<String, Long> lastOffsetOfKey = new HashMap<>();
        List<Long> lagsMillis = new ArrayList<>();
        List<Long> publishedAt = new ArrayList<>();
        for (Row row : rows) {
            ConsumerRecord<String, String> record = firstCopy.get(row.eventId());
            assertThat(record).as("event of outbox row %d published", row.id()).isNotNull();
            Long before = lastOffsetOfKey.put(row.key(), record.offset());
            if (before != null) {
                assertThat(record.offset()).as("row %d of key %s after the key's previous row", row.id(), row.key())
                        .isGreaterThan(before);
            }
            lagsMillis.add(record.timestamp() - row.createdAt().toEpochMilli());
            publishedAt.add(record.timestamp());
        }
        publishedAt.sort(Long::compare);
        long longestSilence = 0;
        for (int i = 1; i < publishedAt.size(); i++) {
            longestSilence = Math.max(longestSilence, publishedAt.get(i) - publishedAt.get(i - 1));
        }
        lagsMillis.sort(Long::compare);
        System.out.printf("relay takeover (%s killed at %s): %d events written, charges answered %s; longest time nothing "
                        + "was published %d ms; commit to publish p50 %d ms, p99 %d ms, max %d ms; %d records on the topic in all%n",
                victim, killedAt, rows.size(), answers, longestSilence, percentile(lagsMillis, 0.50), percentile(lagsMillis, 0.99),
                lagsMillis.get(lagsMillis.size() - 1), copies);
        assertThat(rows).as("events written across the takeover").hasSizeGreaterThan(150);
    }

    /**
     * The queue-service instance running a tick is held in the middle of it (the test holds the queue's state row,
     * which the admission step locks) and killed there: its maintenance lock stays taken until it runs out, then the
     * other instance admits, in sequence order and at one instance's rate. Prints how long admission stopped.
     */
    @Test
    void queueAdmissionMovesToTheOtherInstanceWhenTheAdmitterIsKilledInTheMiddleOfATick() throws Exception {
        String module = "queue-service";
        Assumptions.assumeTrue(stack.instances(module).size() > 1, module + " runs one instance here");
        int rate = 2;
        stack.operate(module, "queue", "{\"paused\":true,\"admitPerSecond\":" + rate + "}");
        String victim;
        Instant killedAt;
        long resumedMillis;
        List<Long> sequences = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                Answer joined = journeys.api.join(journeys.nextUserId()).ok(201);
                sequences.add(Long.parseLong(single("queue", "SELECT sequence FROM queue_token WHERE token_id = '"
                        + PublicApi.tokenId(joined.body().path("token").asText()) + "'")));
            }
            String ours = "sequence BETWEEN " + sequences.get(0) + " AND " + sequences.get(sequences.size() - 1);
            stack.operate(module, "queue", "{\"paused\":false}");
            await().atMost(Duration.ofSeconds(20)).until(() -> admitted(ours) >= 2);

            try (Connection holding = SuiteState.connect(stack.database(), "queue")) {
                holding.setAutoCommit(false);
                try (Statement st = holding.createStatement()) {
                    st.executeQuery("SELECT admitted_through FROM queue_state WHERE id = 1 FOR UPDATE").close();
                }
                // A tick has held the maintenance lock for over a second: it is waiting for the state row.
                await().atMost(Duration.ofSeconds(10)).until(() -> "1".equals(single("queue",
                        "SELECT COUNT(*) FROM shedlock WHERE name = 'queue-maintenance' AND lock_until > NOW(6) "
                                + "AND locked_at < NOW(6) - INTERVAL 1 SECOND")));
                String lockedBy = single("queue", "SELECT locked_by FROM shedlock WHERE name = 'queue-maintenance'");
                victim = instanceWithPid(module, Long.parseLong(lockedBy.substring(lockedBy.lastIndexOf('/') + 1)));
                long before = admitted(ours);
                killedAt = Instant.now();
                stack.stack.kill(victim);
                holding.rollback();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> admitted(ours) > before);
                resumedMillis = Duration.between(killedAt, Instant.now()).toMillis();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> admitted(ours) == sequences.size());

            // In sequence order, no step above the rate, steps at least a tick apart, whichever instance took them.
            List<Instant> activated = new ArrayList<>();
            try (Connection c = SuiteState.connect(stack.database(), "queue"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT activated_at FROM queue_token WHERE " + ours + " ORDER BY sequence")) {
                while (rs.next()) {
                    activated.add(rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC));
                }
            }
            assertThat(activated).as("admitted in sequence order").isSorted();
            TreeMap<Instant, Integer> perStep = new TreeMap<>();
            activated.forEach(at -> perStep.merge(at, 1, Integer::sum));
            assertThat(perStep.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(rate));
            Instant previous = null;
            for (Instant step : perStep.keySet()) {
                if (previous != null) {
                    assertThat(Duration.between(previous, step)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
                }
                previous = step;
            }
            System.out.printf("queue admission: %s killed in the middle of a tick at %s; the next admission %d ms later "
                    + "by the other instance; %d admission steps of at most %d%n", victim, killedAt, resumedMillis, perStep.size(), rate);
        } finally {
            stack.operate(module, "queue", "{\"paused\":false,\"admitPerSecond\":1000}");
        }
        stack.stack.restart(victim);
    }

    /** Each gateway, called on its own port: joins, polls, token checks and the admitted routes all work on both. */
    @Test
    void everyGatewayAnswersJoinsPollsAndAdmittedRoutesOnItsOwn() throws Exception {
        List<String> gateways = stack.instances("gateway");
        Assumptions.assumeTrue(gateways.size() > 1, "one gateway here");
        for (String gateway : gateways) {
            PublicApi direct = new PublicApi("http://127.0.0.1:" + stack.stack.port(gateway));
            Shopper shopper = direct.admitted(journeys.nextUserId());
            direct.get("/queue/status", shopper.token()).ok(200);
            direct.get("/concerts/1/schedules", shopper.token()).ok(200);
            direct.get("/concerts/1/schedules", shopper.token()).ok(200); // the ACTIVE status from this gateway's cache
            direct.get("/concerts/1/schedules", shopper.token().substring(0, shopper.token().length() - 4) + "AAAA")
                    .problem(401, "TOKEN_INVALID");
        }
        // Through the load balancer, requests reach both.
        for (int i = 0; i < 10; i++) {
            journeys.api.get("/concerts", null).ok(200);
        }
        for (String gateway : gateways) {
            assertThat(requestsServed(gateway)).as("requests %s served", gateway).isPositive();
        }
    }

    private static double requestsServed(String instance) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stack.management(instance) + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        return metrics.body().lines().filter(l -> l.startsWith("http_server_requests_seconds_count"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static long admitted(String which) {
        return Long.parseLong(single("queue", "SELECT COUNT(*) FROM queue_token WHERE activated_at IS NOT NULL AND " + which));
    }

    private static String instanceWithPid(String module, long pid) {
        return stack.instances(module).stream().filter(i -> stack.stack.pid(i) == pid).findFirst()
                .orElseThrow(() -> new AssertionError("no instance of " + module + " has pid " + pid));
    }

    private static String single(String schema, String query) {
        try (Connection c = SuiteState.connect(stack.database(), schema); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(query)) {
            assertThat(rs.next()).as(query).isTrue();
            return rs.getString(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(query, e);
        }
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private record Row(long id, String eventId, String key, Instant createdAt) {
    }
}
