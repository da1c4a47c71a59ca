package dev.ticketing.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators rely on in every database-backed service: it boots on a real MariaDB and Kafka
 * broker, reports ready on its own state (both are health details), reports live without them,
 * exposes Prometheus metrics, and has its own migrations plus the messaging tables. A service's test extends this and registers the
 * servers with {@code @DynamicPropertySource} and {@link TestInfrastructure#register}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@AutoConfigureObservability(tracing = false) // tests turn metrics export off unless asked; Prometheus is checked
public abstract class ServiceBootContract {

    private RestClient management;
    private JdbcTemplate jdbc;

    @BeforeEach
    void connect(@LocalManagementPort int managementPort, @Autowired JdbcTemplate jdbc) {
        this.management = RestClient.builder()
                .baseUrl("http://127.0.0.1:" + managementPort)
                // Let every status through: the assertions look at it.
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> { })
                .build();
        this.jdbc = jdbc;
    }

    @Test
    void reportsReadyOnItsOwnStateWithTheDatabaseAndKafkaAsHealthDetails() {
        ResponseEntity<JsonNode> readiness = management.get().uri("/actuator/health/readiness")
                .retrieve().toEntity(JsonNode.class);

        assertThat(readiness.getStatusCode().value()).isEqualTo(200);
        assertThat(readiness.getBody().path("status").asText()).isEqualTo("UP");
        // Shared by every instance, so not readiness conditions: one outage would empty the Service of every pod.
        assertThat(readiness.getBody().path("components").fieldNames())
                .toIterable().containsExactly("readinessState");

        ResponseEntity<JsonNode> health = management.get().uri("/actuator/health").retrieve().toEntity(JsonNode.class);
        assertThat(health.getBody().path("components").path("db").path("status").asText()).isEqualTo("UP");
        assertThat(health.getBody().path("components").path("kafka").path("status").asText()).isEqualTo("UP");
    }

    @Test
    void reportsLiveWithoutAskingTheDatabaseOrKafka() {
        ResponseEntity<JsonNode> health = management.get().uri("/actuator/health/liveness")
                .retrieve().toEntity(JsonNode.class);

        assertThat(health.getStatusCode().value()).isEqualTo(200);
        assertThat(health.getBody().path("status").asText()).isEqualTo("UP");
        assertThat(health.getBody().path("components").fieldNames())
                .toIterable().containsExactlyInAnyOrder("livenessState", "ping");
    }

    @Test
    void exposesPrometheusMetrics() {
        ResponseEntity<String> metrics = management.get().uri("/actuator/prometheus")
                .retrieve().toEntity(String.class);

        assertThat(metrics.getStatusCode().value()).isEqualTo(200);
        assertThat(metrics.getBody()).contains("jvm_memory_used_bytes");
    }

    @Test
    void appliesItsBaselineMigration() {
        Boolean applied = jdbc.queryForObject(
                "SELECT success FROM flyway_schema_history WHERE version = '1'", Boolean.class);

        assertThat(applied).isTrue();
    }

    @Test
    void hasTheMessagingTables() {
        var tables = jdbc.queryForList(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()", String.class);

        assertThat(tables).contains("outbox_event", "processed_event", "messaging_lease", "messaging_schema_history");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event", Long.class)).isZero();
    }
}
