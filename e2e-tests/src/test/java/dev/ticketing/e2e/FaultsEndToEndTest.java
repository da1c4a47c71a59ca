package dev.ticketing.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.e2e.JourneyLoad.Paid;
import dev.ticketing.e2e.PublicApi.Shopper;
import dev.ticketing.events.EventHeaders;
import dev.ticketing.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Things break on purpose while buyers go through the saga, against the services running as processes
 * (two instances of each): one instance of each service killed with SIGKILL and restarted, every instance of
 * payment-service killed at once, the broker stopped for 20 s, the database restarted,
 * every consumer group sent back to the beginning of its topic, queue-service stopped, poison records.
 * Afterwards every payment a client saw accepted must be kept (reservation CONFIRMED, payment COMPLETED),
 * the saga must settle, and the invariant checker must find no breach.
 */
@Tag("faults")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsEndToEndTest {

    private static final Duration BROKER_OUTAGE = Duration.ofSeconds(20);
    private static final Duration DATABASE_OUTAGE = Duration.ofSeconds(10);

    private static Journeys journeys;
    private static Stack stack;

    @BeforeAll
    static void start() {
        journeys = Journeys.shared();
        stack = journeys.stack;
    }

    /** Buyers at once in the journeys under load: each has at most one request in flight. */
    private static final int BUYERS = 2;

    /**
     * One instance of each service killed in turn (SIGKILL) while buyers go through the saga: the other instance
     * keeps serving (journeys are paid while the killed one is down), clients see at most the requests that were
     * in flight on it fail, each with a retryable answer (503, or 409 IDEMPOTENCY_IN_PROGRESS when the front proxy
     * sent a write again while its first try was still running), and the saga settles before the killed instance is back
     * (its consumers' partitions moved to the other instance, its relay lease was taken over). Then it is
     * restarted, and nothing was lost or applied twice.
     */
    @ParameterizedTest(name = "one instance of {0} killed")
    @ValueSource(strings = {"payment-service", "reservation-service", "concert-service", "queue-service", "gateway"})
    void oneInstanceKilledUnderLoadTheOtherKeepsServingAndNothingIsLostOrAppliedTwice(String module) throws Exception {
        List<String> instances = stack.instances(module);
        Assumptions.assumeTrue(instances.size() > 1, module + " runs one instance here: nothing would keep serving");
        String victim = instances.get(0);
        long eventsBefore = events();
        JourneyLoad load = JourneyLoad.start(journeys, BUYERS);
        Map<String, Long> failedWhileDown;
        long settledMillis;
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> load.paidCount() >= 2);
            Map<String, Long> failedBefore = load.failures();
            long killedAt = System.nanoTime();
            stack.stack.kill(victim);
            int paidAtKill = load.paidCount();
            await().atMost(Duration.ofSeconds(60)).until(() -> load.paidCount() >= paidAtKill + 3);
            failedWhileDown = JourneyLoad.difference(load.failures(), failedBefore);
            // Everything published and consumed without the killed instance: its partitions and its relay lease
            // (if it held them) were taken over.
            journeys.settle();
            settledMillis = (System.nanoTime() - killedAt) / 1_000_000;
            stack.stack.restart(victim);
            int paidAtRestart = load.paidCount();
            await().atMost(Duration.ofSeconds(60)).until(() -> load.paidCount() >= paidAtRestart + 2);
        } finally {
            load.close();
            System.out.printf("%s killed, journeys: %s%n", victim, load);
        }
        System.out.printf("%s killed: failed steps while it was down %s; saga settled %d ms after the kill%n",
                victim, failedWhileDown, settledMillis);
        assertThat(failedWhileDown.values().stream().mapToLong(Long::longValue).sum())
                .as("steps that failed after %s was killed: at most the requests in flight on it", victim)
                .isLessThanOrEqualTo(BUYERS);
        assertThat(failedWhileDown.keySet()).as("how they failed: a retryable answer")
                .isSubsetOf(Set.of("503", "409 " + JourneyLoad.IN_PROGRESS));

        // A payment accepted just before the kill may reach reservation-service after its hold ran out (its event
        // waited for the relay's takeover): then the saga's compensation refunds it. Either way it is kept.
        settleAndCheck(victim + " killed", load, eventsBefore);
    }

    /**
     * Every instance of payment-service killed at once (a whole service down), then started again: payments
     * accepted before are kept, events written before the kill wait in the outbox and go out after the restart.
     */
    @Test
    void everyInstanceOfPaymentServiceKilledAndRestartedLosesNothing() throws Exception {
        String module = "payment-service";
        long eventsBefore = events();
        JourneyLoad load = JourneyLoad.start(journeys, BUYERS);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> load.paidCount() >= 2);
            stack.stack.kill(module);
            int startedWhileDown = load.journeysStarted();
            await().atMost(Duration.ofSeconds(30)).until(() -> load.journeysStarted() >= startedWhileDown + 2);
            stack.stack.restart(module);
            int paidBefore = load.paidCount();
            await().atMost(Duration.ofSeconds(120)).until(() -> load.paidCount() >= paidBefore + 2);
        } finally {
            load.close();
        }
        System.out.printf("every %s instance killed: %s%n", module, load);
        settleAndCheck("every " + module + " instance killed", load, eventsBefore);
    }

    @Test
    void theBrokerStoppedFor20SecondsInTheMiddleOfPaymentsLosesNothing() throws Exception {
        long eventsBefore = events();
        JourneyLoad load = JourneyLoad.start(journeys, 2);
        int acceptedWhileDown;
        long unsentAtRestart;
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> load.paidCount() >= 2);
            stack.stack.stopKafka();
            long stoppedAt = System.nanoTime();
            int paidAtStop = load.paidCount();
            // Payments go on being accepted: each one's PaymentCompleted waits in payment-service's outbox, and a
            // hold whose ReservationCreated is stuck too is looked up from reservation-service directly.
            await().atMost(BROKER_OUTAGE).until(() -> load.paidCount() > paidAtStop);
            // The broker is a health detail, not a readiness condition: every instance reports it down and stays
            // ready, so none leaves its Service while its outbox absorbs the outage.
            await().atMost(BROKER_OUTAGE).untilAsserted(() -> {
                for (String module : List.of("queue-service", "concert-service", "reservation-service", "payment-service")) {
                    for (String instance : stack.instances(module)) {
                        assertThat(management(instance, "/actuator/health/readiness").statusCode())
                                .as("%s readiness with the broker down", instance).isEqualTo(200);
                        HttpResponse<String> health = management(instance, "/actuator/health");
                        assertThat(PublicApi.JSON.readTree(health.body()).path("components").path("kafka")
                                .path("status").asText()).as("%s health detail of the broker", instance).isEqualTo("DOWN");
                    }
                }
            });
            long rest = BROKER_OUTAGE.toNanos() - (System.nanoTime() - stoppedAt);
            if (rest > 0) {
                TimeUnit.NANOSECONDS.sleep(rest); // the outage lasts its full 20 s whatever the clients saw
            }
            acceptedWhileDown = load.paidCount() - paidAtStop;
            unsentAtRestart = SuiteState.unsentOutboxRows(stack.database());
            assertThat(unsentAtRestart).as("events waiting in the outboxes while the broker is down").isPositive();
            stack.stack.startKafka();
            int paidAtRestart = load.paidCount();
            await().atMost(Duration.ofSeconds(120)).until(() -> load.paidCount() >= paidAtRestart + 2);
        } finally {
            load.close();
        }
        System.out.printf("broker stopped for %d s: %s%n", BROKER_OUTAGE.toSeconds(), load);

        System.out.printf("broker stopped: %d payments accepted while it was down, %d events waiting in the outboxes at its restart%n",
                acceptedWhileDown, unsentAtRestart);
        settleAndCheck("broker stopped", load, eventsBefore);
    }

    @Test
    void theDatabaseRestartedUnderLoadRefusesCleanlyWhileDownAndLosesNothing() throws Exception {
        Shopper probe = journeys.buyer();
        List<String> routes = List.of("/users/" + probe.userId() + "/balance", "/users/" + probe.userId() + "/payments",
                "/queue/status", "/concerts", "/concerts/1/schedules");
        long eventsBefore = events();
        JourneyLoad load = JourneyLoad.start(journeys, 2);
        Map<Integer, Integer> answersWhileDown = new TreeMap<>();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> load.paidCount() >= 2);
            stack.stopDatabase();
            try {
                // Every route that needs the database answers 503 problem+json at once, and nothing else.
                HttpClient http = HttpClient.newHttpClient();
                long until = System.nanoTime() + DATABASE_OUTAGE.toNanos();
                while (System.nanoTime() < until) {
                    for (String route : routes) {
                        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.gateway() + "/api/v1" + route))
                                .header("Queue-Token", probe.token()).timeout(Duration.ofSeconds(3)).build();
                        HttpResponse<String> answer = send(http, request);
                        answersWhileDown.merge(answer.statusCode(), 1, Integer::sum);
                        assertThat(answer.statusCode()).as("%s: %s", route, answer.body()).isEqualTo(503);
                        assertThat(answer.headers().firstValue("Content-Type"))
                                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
                        assertThat(PublicApi.JSON.readTree(answer.body()).path("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
                        assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                    }
                }
            } finally {
                stack.startDatabase();
            }
            // Back by itself: the pools open new connections, the relays and consumers go on.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (String route : routes) {
                    journeys.api.get(route, probe.token()).ok(200);
                }
            });
            int paidAtRestart = load.paidCount();
            await().atMost(Duration.ofSeconds(120)).until(() -> load.paidCount() >= paidAtRestart + 2);
        } finally {
            load.close();
        }
        System.out.printf("database restarted: %s; answers to the probe while down %s%n", load, answersWhileDown);

        settleAndCheck("database restarted", load, eventsBefore);
    }

    @Test
    @Order(Integer.MAX_VALUE) // last, so that it redelivers what every fault before it produced
    void resettingEveryConsumerGroupToTheBeginningChangesNothing() throws Exception {
        // Quiet: no hold left to run out while the consumers are stopped, everything published and consumed.
        await().atMost(Duration.ofSeconds(30)).until(() -> SuiteState.pendingReservations(stack.database()) == 0);
        journeys.settle();
        String before = SuiteState.read(stack.database());
        Map<String, Long> outboxBefore = SuiteState.outboxCounts(stack.database());

        // As an operator would (docs/operations.md, "Replaying a topic"): stop the consumers of every instance, which
        // empties the groups, move the offsets, start the consumers again. The services keep running meanwhile.
        Map<String, String> consumed = Map.of(
                "concert-service", Topics.RESERVATION_EVENTS,
                "payment-service", Topics.RESERVATION_EVENTS,
                "reservation-service", Topics.PAYMENT_EVENTS,
                "queue-service", Topics.PAYMENT_EVENTS);
        for (String module : consumed.keySet()) {
            stack.operate(module, "consumers", "{\"running\": false}");
        }
        long redelivered = 0;
        for (var group : consumed.entrySet()) {
            redelivered += journeys.topics.rewind(group.getKey(), group.getValue());
        }
        for (String module : consumed.keySet()) {
            stack.operate(module, "consumers", "{\"running\": true}");
        }
        journeys.settle();

        assertThat(SuiteState.read(stack.database())).isEqualTo(before);
        assertThat(SuiteState.outboxCounts(stack.database())).isEqualTo(outboxBefore);
        SuiteState.assertInvariantsHold(stack.database());
        System.out.printf("offsets reset: %d records consumed again by 4 groups, no state changed, no event published%n", redelivered);
        assertThat(redelivered).isPositive();
    }

    /**
     * After a fault: the saga settles (every outbox row published, every consumer caught up), every accepted
     * payment is kept, and the invariant checker finds no breach; prints what happened under {@code label}.
     */
    private static void settleAndCheck(String label, JourneyLoad load, long eventsBefore) throws java.sql.SQLException {
        journeys.settle();
        int refunded = assertEveryAcceptedPaymentKept(load);
        System.out.printf("%s: %d of %d accepted payments refunded by the saga, %d events published%n",
                label, refunded, load.paidCount(), events() - eventsBefore);
        SuiteState.assertInvariantsHold(stack.database());
    }

    /**
     * Every payment a client was told succeeded is kept: its reservation CONFIRMED and the payment COMPLETED,
     * or (a payment that reached reservation-service after its hold ran out) refunded by the saga. Returns
     * how many were refunded.
     */
    private static int assertEveryAcceptedPaymentKept(JourneyLoad load) {
        int refunded = 0;
        for (Paid paid : load.paid()) {
            String reservation = journeys.reservationStatus(paid.shopper(), paid.reservationId());
            String payment = journeys.api.get("/payments/" + paid.paymentId(), paid.shopper().token()).ok(200)
                    .body().path("status").asText();
            if (reservation.equals("CONFIRMED")) {
                assertThat(payment).as("%s", paid).isEqualTo("COMPLETED");
            } else {
                assertThat(reservation).as("%s", paid).isIn("EXPIRED", "CANCELLED");
                assertThat(payment).as("%s", paid).isEqualTo("REFUNDED");
                refunded++;
            }
        }
        return refunded;
    }

    @Test
    void withQueueServiceDownAdmittedRoutesAnswer503QuicklyAndTheRestKeepsWorking() throws Exception {
        Shopper shopper = journeys.buyer();
        String admittedRoute = "/concerts/1/schedules";
        journeys.api.get(admittedRoute, shopper.token()).ok(200);
        stack.stack.halt("queue-service");
        try {
            // Within 2 s, or the client below gives up and the test fails: that is the promise of DESIGN section 3.
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest admitted = HttpRequest.newBuilder(URI.create(stack.gateway() + "/api/v1" + admittedRoute))
                    .header("Queue-Token", shopper.token()).timeout(Duration.ofSeconds(2)).build();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                HttpResponse<String> answer = send(http, admitted);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
            });
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> answer = send(http, admitted);
                assertThat(answer.statusCode()).isEqualTo(503);
                assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
                assertThat(PublicApi.JSON.readTree(answer.body()).path("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
                assertThat(answer.headers().firstValue("Retry-After")).isPresent();
            }
            // Open and identified routes do not need queue-service.
            journeys.api.get("/concerts", null).ok(200);
            assertThat(journeys.balance(shopper)).isEqualTo(Journeys.FUNDS);
        } finally {
            stack.stack.restart("queue-service");
        }
        // Back by itself: the circuit closes again without anyone touching the gateway.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> journeys.api.get(admittedRoute, shopper.token()).ok(200));
    }

    /**
     * An operator re-drives a dead-lettered saga event with {@code /actuator/deadletters}, and the saga completes.
     * Consumers dead-letter only records they can never apply (an outage is retried, never dead-lettered), so the
     * record is put there as reservation-service's error handler would: payment-service's relay is paused, and its
     * PaymentCompleted, read from the outbox, goes to {@code payment.events.reservation-service.DLT} only. The
     * re-drive sends it to payment.events, where reservation- and queue-service apply it; run twice, it sends
     * nothing more; and when the relay resumes, the same event arrives again and is applied by nobody a second time.
     */
    @Test
    void aDeadLetteredPaymentReDrivenByTheOperatorCompletesItsSagaOnce() throws Exception {
        String deadLetterTopic = Topics.deadLetter(Topics.PAYMENT_EVENTS, "reservation-service");
        String reservationInstance = stack.instances("reservation-service").get(0);
        Shopper shopper = journeys.buyer();
        Journeys.Seats seats = journeys.seats(1);
        long reservationId = journeys.hold(shopper, seats).path("reservationId").asLong();
        stack.operate("payment-service", "outbox", "{\"paused\":true}");
        try {
            long paymentId = journeys.pay(shopper, reservationId).ok(201).body().path("paymentId").asLong();
            String[] event = new String[3]; // event id, key, envelope
            try (var c = SuiteState.connect(stack.database(), "payment"); var st = c.prepareStatement(
                    "SELECT event_id, message_key, envelope FROM outbox_event WHERE event_type = 'PaymentCompleted' "
                            + "AND aggregate_id = ? AND sent_at IS NULL")) {
                st.setString(1, Long.toString(paymentId));
                try (var rs = st.executeQuery()) {
                    assertThat(rs.next()).as("PaymentCompleted of payment %s waits in the paused outbox", paymentId).isTrue();
                    event = new String[] {rs.getString(1), rs.getString(2), rs.getString(3)};
                }
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                ProducerRecord<String, String> dead = new ProducerRecord<>(deadLetterTopic, event[1], event[2]);
                dead.headers().add(EventHeaders.EVENT_ID, event[0].getBytes(java.nio.charset.StandardCharsets.UTF_8));
                dead.headers().add(EventHeaders.EVENT_TYPE, "PaymentCompleted".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                producer.send(dead).get();
            }
            // The operator's view, kept short: the hold (6 s here) must not run out before the re-drive.
            JsonNode topics = PublicApi.JSON.readTree(management(reservationInstance, "/actuator/deadletters").body());
            assertThat(topics.path("deadLetterTopics").path(deadLetterTopic).path("topic").asText()).isEqualTo(Topics.PAYMENT_EVENTS);
            assertThat(topics.path("deadLetterTopics").path(deadLetterTopic).path("waiting").asLong()).isPositive();

            // Re-driven: the saga completes without the relay.
            JsonNode redriven = stack.operate("reservation-service", "deadletters/" + deadLetterTopic, "{}");
            assertThat(redriven.path("redriven").asInt()).isPositive();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(journeys.reservationStatus(shopper, reservationId)).isEqualTo("CONFIRMED");
                assertThat(journeys.seatStatuses(seats)).containsOnly("SOLD");
                assertThat(journeys.api.get("/queue/status", shopper.token()).body().path("status").asText()).isEqualTo("EXPIRED");
            });
            // Run again (another poison record of this suite may come back and be re-driven too): nothing changes.
            stack.operate("reservation-service", "deadletters/" + deadLetterTopic, "{}");
            String eventKey = event[1];
            JsonNode listed = PublicApi.JSON.readTree(management(reservationInstance, "/actuator/deadletters/" + deadLetterTopic).body());
            assertThat(listed.path("topic").asText()).isEqualTo(Topics.PAYMENT_EVENTS);
            assertThat(listed.path("waiting").findValuesAsText("key")).as("our record, re-driven, waits no more").doesNotContain(eventKey);
            assertThat(management(reservationInstance, "/actuator/deadletters/payment.events.nobody.DLT").statusCode())
                    .as("a topic that is not this service's").isEqualTo(404);
        } finally {
            stack.operate("payment-service", "outbox", "{\"paused\":false}");
        }
        // The relay sends the same PaymentCompleted now; every consumer has applied it already and skips it.
        journeys.settle();
        assertThat(journeys.reservationStatus(shopper, reservationId)).isEqualTo("CONFIRMED");
        SuiteState.assertInvariantsHold(stack.database());
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheNextRecordsAreProcessed() throws Exception {
        Map<String, List<String>> consumers = Map.of(
                Topics.RESERVATION_EVENTS, List.of("concert-service", "payment-service"),
                Topics.PAYMENT_EVENTS, List.of("reservation-service", "queue-service"));
        Map<String, Double> deadLettersBefore = new java.util.HashMap<>();
        consumers.values().stream().flatMap(List::stream).forEach(m -> deadLettersBefore.put(m, deadLetters(m)));
        String poison = "{\"not\": \"an event " + UUID.randomUUID() + "\"";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            for (String topic : consumers.keySet()) {
                producer.send(new ProducerRecord<>(topic, "poison", poison)).get();
            }
        }

        // A whole saga after the poison: every consumer got past it.
        Shopper shopper = journeys.buyer();
        Journeys.Seats seats = journeys.seats(1);
        long reservationId = journeys.hold(shopper, seats).path("reservationId").asLong();
        journeys.pay(shopper, reservationId).ok(201);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(journeys.reservationStatus(shopper, reservationId)).isEqualTo("CONFIRMED");
            assertThat(journeys.seatStatuses(seats)).containsOnly("SOLD");
            assertThat(journeys.api.get("/queue/status", shopper.token()).body().path("status").asText()).isEqualTo("EXPIRED");
        });

        for (var topic : consumers.entrySet()) {
            for (String group : topic.getValue()) {
                List<ConsumerRecord<String, String>> dead = journeys.topics.readAll(Topics.deadLetter(topic.getKey(), group));
                assertThat(dead).as("%s's dead letters of %s", group, topic.getKey())
                        .anySatisfy(r -> assertThat(r.value()).isEqualTo(poison));
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(deadLetters(group)).as("%s's dead-letter count", group).isGreaterThan(deadLettersBefore.get(group)));
            }
        }
        journeys.settle();
        SuiteState.assertInvariantsHold(stack.database());
    }

    /** Events written to the outboxes so far (every one is published: {@link Journeys#settle()} waits for it). */
    private static long events() throws java.sql.SQLException {
        return SuiteState.outboxCounts(stack.database()).values().stream().mapToLong(Long::longValue).sum();
    }

    /** The sum of {@code messaging_dead_letter_total} over the Prometheus endpoints of a service's instances. */
    private static double deadLetters(String module) {
        double sum = 0;
        for (String instance : stack.instances(module)) {
            try {
                HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(stack.management(instance) + "/actuator/prometheus")).build(),
                        HttpResponse.BodyHandlers.ofString());
                sum += metrics.body().lines().filter(l -> l.startsWith("messaging_dead_letter_total"))
                        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return sum;
    }

    private static final HttpClient MANAGEMENT = HttpClient.newHttpClient();

    /** A GET on an instance's management port. */
    private static HttpResponse<String> management(String instance, String path) throws Exception {
        return send(MANAGEMENT, HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + stack.stack.managementPort(instance) + path))
                .timeout(Duration.ofSeconds(5)).build());
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) throws Exception {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException slow) {
            throw new AssertionError("no answer within " + request.timeout().orElseThrow() + ": " + request.uri(), slow);
        }
    }
}
