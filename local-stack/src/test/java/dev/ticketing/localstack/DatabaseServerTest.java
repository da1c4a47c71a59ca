package dev.ticketing.localstack;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A database server of the operator's (STACK_DB_URL): named, never started or stopped, and passed to the services. */
class DatabaseServerTest {

    private final Map<String, String> env = Map.of("STACK_DB_URL", "jdbc:mysql://db.example:3307",
            "STACK_DB_USER", "ticketing", "STACK_DB_PASSWORD", "secret");

    @Test
    void anOutsideServerIsNamedNotStartedAndNotTheStacksToStop() {
        DatabaseServer server = DatabaseServer.start(env, 3306);

        assertThat(server.isEmbedded()).isFalse();
        assertThat(server.jdbcBaseUrl()).isEqualTo("jdbc:mysql://db.example:3307");
        assertThat(server.describe()).contains("db.example:3307", "STACK_DB_URL", "ticketing").doesNotContain("secret");
        assertThatThrownBy(server::stopServer).isInstanceOf(IllegalStateException.class).hasMessageContaining("outside");
        server.close(); // nothing to stop
    }

    @Test
    void refusesAUrlThatIsNotAServerAddress() {
        assertThatThrownBy(() -> DatabaseServer.start(Map.of("STACK_DB_URL", "mysql://db.example"), 3306))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:mysql://host:port");
    }

    @Test
    void theServicesGetTheOutsideServerItsCredentialsAndItsProductName() {
        Topology topology = new Topology(Map.of("STACK_SERVICES", "queue-service"));
        ServiceCommands commands = new ServiceCommands(env, topology, DatabaseServer.start(env, 3306), "8.4.3");

        ProcessBuilder process = commands.of(topology.instances().get(0), "kafka.example:9092", List.of("-jar", "x.jar"));

        assertThat(process.environment()).containsEntry("DB_HOST", "db.example").containsEntry("DB_PORT", "3307")
                .containsEntry("DB_USER", "ticketing").containsEntry("DB_PASSWORD", "secret")
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka.example:9092")
                .doesNotContainKey("DB_SSL_MODE"); // the service's own default (PREFERRED), not the loopback's DISABLED
        assertThat(process.command()).contains("--spring.jpa.properties.jakarta.persistence.database-product-name=MySQL",
                "--spring.jpa.properties.jakarta.persistence.database-product-version=8.4.3");
    }
}
