package dev.ticketing.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.ticketing.testsupport.TestDatabase;
import dev.ticketing.testsupport.TestKafka;
import dev.ticketing.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two queue-service instances on one schema, as two pods run: each with its own scheduler, clock and copy of
 * the queue state, both ticking, joins and polls sent to them in turn as the gateway's load balancer would.
 * First come, first served holds across them (sequences in the order the joins arrived, admission in sequence
 * order), a client's position never goes up whichever instance answers, the active cap holds, and the
 * admission rate is one instance's, not two (one admission step per tick between them).
 */
class TwoInstancesTest {

    private static final int USERS = 20;
    private static final int ADMIT_PER_SECOND = 4;
    private static final int MAX_ACTIVE = 6;

    private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();
    private static final List<RestClient> apis = new ArrayList<>();
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void startTwoInstances() {
        TestDatabase.Schema schema = TestDatabase.shared().newSchema("queue_two");
        String bootstrap = TestKafka.bootstrapServers();
        TestKafka.createTopics(bootstrap, Topics.PARTITIONS, Topics.ALL);
        Map<String, String> properties = new LinkedHashMap<>(schema.springProperties());
        properties.put("spring.kafka.bootstrap-servers", bootstrap);
        properties.put("spring.kafka.consumer.group-id", "queue-service-two");
        properties.put("server.port", "0");
        properties.put("management.server.port", "0");
        properties.put("ticketing.queue.admit-per-second", Integer.toString(ADMIT_PER_SECOND));
        properties.put("ticketing.queue.max-active", Integer.toString(MAX_ACTIVE));
        // Admitted tokens end quickly, so that the cap frees room and the whole queue gets through in seconds.
        properties.put("ticketing.queue.active-ttl", "1500ms");
        for (int i = 0; i < 2; i++) {
            // As arguments, which rank above application.yml (builder properties would rank below it).
            ConfigurableApplicationContext context = new SpringApplicationBuilder(QueueApplication.class)
                    .run(properties.entrySet().stream().map(p -> "--" + p.getKey() + "=" + p.getValue()).toArray(String[]::new));
            instances.add(context);
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            apis.add(RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                    .defaultStatusHandler(status -> true, (request, response) -> { }).build());
        }
        jdbc = new JdbcTemplate(instances.get(0).getBean(javax.sql.DataSource.class));
    }

    @AfterAll
    static void stopInstances() {
        instances.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void firstComeFirstServedAcrossInstancesPositionsNeverGoUpAndAdmissionStaysWithinOneInstancesLimits() throws Exception {
        // Everybody joins while the queue is paused, each join on the other instance than the one before.
        jdbc.update("UPDATE queue_state SET paused = TRUE");
        List<String> tokenIds = new ArrayList<>();
        List<Long> sequences = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            JsonNode joined = apis.get(i % 2).post().uri("/api/v1/queue/tokens").contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("userId", 70_000 + i)).retrieve().body(JsonNode.class);
            SignedJWT jwt = SignedJWT.parse(joined.path("token").asText());
            tokenIds.add(jwt.getJWTClaimsSet().getJWTID());
            sequences.add(sequenceOf(jwt.getJWTClaimsSet().getJWTID()));
        }
        assertThat(sequences).as("sequences in the order the joins arrived, whichever instance took them").isSorted()
                .doesNotHaveDuplicates();

        jdbc.update("UPDATE queue_state SET paused = FALSE");
        Map<String, Long> lastPosition = new HashMap<>();
        int[] polls = {0};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            // Each round of polls on the other instance, as a client's polls spread over instances.
            JsonNode answer = apis.get(polls[0]++ % 2).post().uri("/internal/tokens/polls").contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("tokenIds", tokenIds)).retrieve().body(JsonNode.class);
            for (JsonNode polled : answer.path("views")) {
                String id = polled.path("tokenId").asText();
                long position = polled.path("view").path("position").asLong();
                Long before = lastPosition.put(id, position);
                if (before != null) {
                    assertThat(position).as("position of %s after %s", id, before).isLessThanOrEqualTo(before);
                }
            }
            long active = jdbc.queryForObject("SELECT COUNT(*) FROM queue_token WHERE status = 'ACTIVE'", Long.class);
            assertThat(active).as("ACTIVE tokens").isLessThanOrEqualTo(MAX_ACTIVE);
            return jdbc.queryForObject("SELECT COUNT(*) FROM queue_token WHERE activated_at IS NOT NULL", Long.class) == USERS;
        });
        assertThat(polls[0]).as("rounds of polls while the queue was let in").isGreaterThan(10);

        // Admitted in sequence order: each admission step (one activated_at) took the next ones in line.
        List<Map<String, Object>> admitted = jdbc.queryForList(
                "SELECT sequence, activated_at FROM queue_token ORDER BY sequence");
        Instant previous = Instant.MIN;
        TreeMap<Instant, Integer> perStep = new TreeMap<>();
        for (Map<String, Object> row : admitted) {
            Instant at = ((LocalDateTime) row.get("activated_at")).toInstant(ZoneOffset.UTC);
            assertThat(at).as("admission of sequence %s", row.get("sequence")).isAfterOrEqualTo(previous);
            previous = at;
            perStep.merge(at, 1, Integer::sum);
        }
        // One instance's rate: no step admits more than the limit, and steps are a tick apart, whichever instance ran them.
        assertThat(perStep.values()).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(ADMIT_PER_SECOND));
        Instant step = null;
        for (Instant at : perStep.keySet()) {
            if (step != null) {
                assertThat(Duration.between(step, at)).as("between admission steps").isGreaterThanOrEqualTo(Duration.ofMillis(950));
            }
            step = at;
        }
        System.out.printf("two instances: %d admission steps, admissions counted per instance %s, %d rounds of polls%n",
                perStep.size(), instances.stream().map(TwoInstancesTest::admissions).toList(), polls[0]);
    }

    private static long sequenceOf(String tokenId) {
        return jdbc.queryForObject("SELECT sequence FROM queue_token WHERE token_id = ?", Long.class, tokenId);
    }

    private static double admissions(ConfigurableApplicationContext instance) {
        return instance.getBean(MeterRegistry.class).find("queue.admissions").counter().count();
    }

}
