package dev.ticketing.e2e;

import dev.ticketing.e2e.Journeys.Seats;
import dev.ticketing.e2e.PublicApi.Shopper;
import dev.ticketing.e2e.TraceCollector.CollectedSpan;
import dev.ticketing.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator sees of one purchase: one trace from the gateway through payment-service, its
 * outbox and the Kafka consumers of its events in the other services (spans exported over OTLP by
 * every process to the suite's in-memory collector), and the domain metrics on every service's
 * Prometheus endpoint.
 */
class ObservabilityEndToEndTest {

    private static Stack stack;
    private static Journeys journeys;
    private static PublicApi api;

    @BeforeAll
    static void start() {
        journeys = Journeys.shared();
        stack = journeys.stack;
        api = journeys.api;
    }

    @Test
    void onePaymentIsOneTraceThroughTheGatewayTheServiceTheOutboxAndEveryConsumer() throws Exception {
        Shopper shopper = journeys.buyer();
        Seats seats = journeys.seats(1);
        long reservationId = journeys.hold(shopper, seats).path("reservationId").asLong();

        // The client starts the trace, so the test knows its id; the gateway continues it.
        String traceId = randomHex(16);
        String clientSpan = randomHex(8);
        api.exchange("POST", "/payments", Map.of("Content-Type", "application/json", "Queue-Token", shopper.token(),
                "traceparent", "00-" + traceId + "-" + clientSpan + "-01"), "{\"reservationId\":" + reservationId + "}").ok(201);
        await().atMost(Duration.ofSeconds(15)).until(() -> "CONFIRMED".equals(journeys.reservationStatus(shopper, reservationId))
                && journeys.seatStatuses(seats).equals(List.of("SOLD")));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<CollectedSpan> trace = stack.traces.trace(traceId);
            CollectedSpan gateway = one(trace, s -> s.service().equals("gateway") && s.kind() == CollectedSpan.SERVER
                    && s.parentSpanId().equals(clientSpan), "the gateway's server span under the client's");
            Set<String> gatewaySpans = spanIds(trace, "gateway");
            CollectedSpan payment = one(trace, s -> s.service().equals("payment-service") && s.kind() == CollectedSpan.SERVER,
                    "payment-service's server span");
            assertThat(gatewaySpans).as("payment-service continues a gateway span").contains(payment.parentSpanId());
            assertThat(gateway.traceId()).isEqualTo(payment.traceId());

            // PaymentCompleted left through the outbox with payment-service's span; both consumers continue it.
            Set<String> paymentSpans = spanIds(trace, "payment-service");
            CollectedSpan confirming = consumer(trace, "reservation-service", Topics.PAYMENT_EVENTS);
            CollectedSpan expiring = consumer(trace, "queue-service", Topics.PAYMENT_EVENTS);
            assertThat(paymentSpans).contains(confirming.parentSpanId(), expiring.parentSpanId());
            // ... and ReservationConfirmed, written by reservation-service's consumer, carries its span on to concert-service.
            CollectedSpan selling = consumer(trace, "concert-service", Topics.RESERVATION_EVENTS);
            assertThat(spanIds(trace, "reservation-service")).contains(selling.parentSpanId());
        });

        // The log lines written inside the trace carry its id, in every service that wrote one.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(logLines("payment-service")).anyMatch(line ->
                    line.contains(traceId) && line.contains("completed reservation " + reservationId));
            assertThat(logLines("reservation-service")).anyMatch(line ->
                    line.contains(traceId) && line.contains("Reservation " + reservationId + " confirmed"));
        });

        // The records carry the same trace, as analytics consumers read them.
        List<ConsumerRecord<String, String>> records = journeys.topics.readAll(Topics.PAYMENT_EVENTS).stream()
                .filter(r -> r.value().contains("\"PaymentCompleted\"") && r.value().contains("\"reservationId\":" + reservationId))
                .toList();
        assertThat(records).hasSize(1);
        assertThat(new String(records.get(0).headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                .startsWith("00-" + traceId + "-");
    }

    @Test
    void everyServiceExposesItsDomainMetricsToPrometheus() {
        // At least one purchase has gone through the suite by now (or goes through here).
        Shopper shopper = journeys.buyer();
        Seats seats = journeys.seats(1);
        long reservationId = journeys.hold(shopper, seats).path("reservationId").asLong();
        journeys.pay(shopper, reservationId).ok(201);
        await().atMost(Duration.ofSeconds(15)).until(() -> "CONFIRMED".equals(journeys.reservationStatus(shopper, reservationId)));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, Double> queue = scrape("queue-service");
            assertThat(queue).containsKeys("queue_tokens{application=\"queue-service\",status=\"waiting\"}",
                    "queue_tokens{application=\"queue-service\",status=\"active\"}",
                    "queue_admission_rate{application=\"queue-service\"}",
                    "queue_admission_paused{application=\"queue-service\"}",
                    "queue_admission_limit{application=\"queue-service\",limit=\"admit_per_second\"}",
                    "queue_admission_limit{application=\"queue-service\",limit=\"max_active\"}");
            assertThat(queue.get("queue_admissions_total{application=\"queue-service\"}")).isPositive();
            assertThat(queue.get("queue_tokens{application=\"queue-service\",status=\"active\"}")).isPositive();
            assertCommon(queue, "queue-service", Topics.PAYMENT_EVENTS);

            Map<String, Double> reservation = scrape("reservation-service");
            assertThat(reservation.get("reservation_holds_total{application=\"reservation-service\",outcome=\"created\"}")).isPositive();
            assertThat(reservation.get("reservation_outcomes_total{application=\"reservation-service\",outcome=\"confirmed\"}")).isPositive();
            assertThat(reservation).containsKey("resilience4j_circuitbreaker_state{application=\"reservation-service\",name=\"concert-service\",state=\"closed\"}");
            assertCommon(reservation, "reservation-service", Topics.PAYMENT_EVENTS);

            Map<String, Double> payment = scrape("payment-service");
            assertThat(payment.get("payment_payments_total{application=\"payment-service\",outcome=\"completed\"}")).isPositive();
            assertThat(payment.get("payment_charges_total{application=\"payment-service\",outcome=\"charged\"}")).isPositive();
            assertThat(payment).containsKey("payment_refunds_total{application=\"payment-service\"}");
            assertThat(payment).containsKey("resilience4j_circuitbreaker_state{application=\"payment-service\",name=\"reservation-service\",state=\"closed\"}");
            assertCommon(payment, "payment-service", Topics.RESERVATION_EVENTS);

            Map<String, Double> concert = scrape("concert-service");
            assertThat(metricNames(concert)).contains("kafka_consumer_fetch_manager_records_lag_max", "messaging_dead_letter_total");

            Map<String, Double> gateway = scrape("gateway");
            assertThat(metricNames(gateway)).contains("http_server_requests_seconds_bucket");
            for (String instance : stack.instances("gateway")) {
                assertThat(scrapeInstance(instance).get("resilience4j_circuitbreaker_state{application=\"gateway\",name=\"queue-token-status\",state=\"closed\"}"))
                        .as(instance).isEqualTo(1.0);
            }
            assertThat(metricNames(gateway)).contains("http_server_requests_seconds_count");
        });
    }

    @Test
    void theGrafanaDashboardAndTheAlertsQueryOnlyMetricsTheServicesExpose() throws Exception {
        Set<String> exposed = new java.util.HashSet<>();
        for (String module : List.of("gateway", "queue-service", "concert-service", "reservation-service", "payment-service")) {
            exposed.addAll(metricNames(scrape(module)));
        }
        JsonNode dashboard = PublicApi.JSON.readTree(Path.of("..", "k8s", "monitoring", "ticketing-dashboard.json").toFile());
        List<String> queried = dashboard.findValues("expr").stream().map(JsonNode::asText).toList();
        assertThat(queried).hasSizeGreaterThan(20);
        Set<String> used = metricsIn(queried);
        assertThat(used).contains("queue_tokens", "outbox_backlog_events", "kafka_consumer_fetch_manager_records_lag_max",
                "resilience4j_circuitbreaker_state", "messaging_dead_letter_total");
        assertThat(exposed).as("every metric the dashboard queries is exposed by some service").containsAll(used);

        // The PrometheusRules, one expr per line; the brokers' own metrics come from Strimzi's exporter, not from here.
        List<String> alerts = Files.readAllLines(Path.of("..", "k8s", "monitoring", "rules.yaml")).stream()
                .map(String::strip).filter(line -> line.startsWith("expr: "))
                .map(line -> line.substring("expr: ".length())).toList();
        Set<String> alerted = metricsIn(alerts);
        alerted.removeIf(name -> name.startsWith("kafka_server_") || name.startsWith("kafka_controller_"));
        assertThat(alerted).contains("messaging_dead_letter_total", "outbox_oldest_unsent_age_seconds",
                "kafka_consumer_fetch_manager_records_lag_max", "resilience4j_circuitbreaker_state",
                "http_server_requests_seconds_count", "queue_admission_paused");
        assertThat(exposed).as("every metric the alerts query is exposed by some service").containsAll(alerted);
    }

    /** The metric names in PromQL expressions. */
    private static Set<String> metricsIn(List<String> expressions) {
        Set<String> used = new java.util.TreeSet<>();
        for (String expr : expressions) {
            Matcher names = METRIC_NAME.matcher(expr.replaceAll("\"[^\"]*\"", "").replaceAll("\\{[^}]*}", "")
                    .replaceAll("\\[[^]]*]", ""));
            while (names.find()) {
                used.add(names.group());
            }
        }
        return used;
    }

    /** What every consuming (and publishing) service shows: consumer lag, dead letters, the outbox. */
    private static void assertCommon(Map<String, Double> metrics, String service, String consumedTopic) {
        assertThat(metricNames(metrics)).as(service).contains("kafka_consumer_fetch_manager_records_lag_max",
                "outbox_backlog_events", "outbox_oldest_unsent_age_seconds", "outbox_published_total");
        assertThat(metrics).as(service).containsKey("messaging_dead_letter_total{application=\"" + service
                + "\",group=\"" + service + "\",topic=\"" + consumedTopic + "\"}");
    }

    /** Every line the instances of a module have logged so far. */
    private static List<String> logLines(String module) throws IOException {
        List<String> lines = new java.util.ArrayList<>();
        for (java.nio.file.Path log : stack.logs(module)) {
            lines.addAll(Files.readAllLines(log));
        }
        return lines;
    }

    /** A metric name in PromQL once strings and label matchers are gone: words with an underscore, not a function call. */
    private static final Pattern METRIC_NAME = Pattern.compile("\\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\\b(?!\\s*\\()");

    private static Set<String> metricNames(Map<String, Double> metrics) {
        return metrics.keySet().stream().map(k -> k.contains("{") ? k.substring(0, k.indexOf('{')) : k).collect(Collectors.toSet());
    }

    /**
     * The Prometheus samples of every instance of a service, as sample name{labels} -> value summed over the
     * instances, as a dashboard's {@code sum(...)} sees them: a counter is on the instance that did the work.
     */
    private static Map<String, Double> scrape(String module) throws IOException, InterruptedException {
        Map<String, Double> sum = new java.util.HashMap<>();
        for (String instance : stack.instances(module)) {
            scrapeInstance(instance).forEach((sample, value) -> sum.merge(sample, value, Double::sum));
        }
        return sum;
    }

    /** The Prometheus text of one instance's management port, as sample name{labels} -> value. */
    private static Map<String, Double> scrapeInstance(String instance) throws IOException, InterruptedException {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stack.management(instance) + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body().lines()
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .collect(Collectors.toMap(line -> line.substring(0, line.lastIndexOf(' ')),
                        line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), (a, b) -> b));
    }

    private static CollectedSpan consumer(List<CollectedSpan> trace, String service, String topic) {
        return one(trace, s -> s.service().equals(service) && s.kind() == CollectedSpan.CONSUMER && s.name().contains(topic),
                service + "'s consumer span of " + topic);
    }

    private static CollectedSpan one(List<CollectedSpan> trace, Predicate<CollectedSpan> which, String what) {
        Optional<CollectedSpan> found = trace.stream().filter(which).findFirst();
        assertThat(found).as("%s in %s (%s)", what, trace, stack.traces.summary()).isPresent();
        return found.get();
    }

    private static Set<String> spanIds(List<CollectedSpan> trace, String service) {
        return trace.stream().filter(s -> s.service().equals(service)).map(CollectedSpan::spanId).collect(Collectors.toSet());
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1; // never all zeros
        return HexFormat.of().formatHex(b);
    }
}
