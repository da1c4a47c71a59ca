package dev.ticketing.checker;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the services' schemas on one server and reports every breach of the money and seat
 * invariants. Meant for a settled system (no saga in flight): run it after the load has stopped
 * and the outboxes have drained, or a saga half-way through is reported as a breach.
 * <pre>{@code
 * Report report = new InvariantChecker("jdbc:mysql://127.0.0.1:3306", "root", "").check(Schemas.DEFAULT);
 * assertThat(report.breaches()).isEmpty();
 * }</pre>
 */
public final class InvariantChecker {

    /** Added to the URL unless it sets them itself. */
    private static final String DEFAULT_OPTIONS = "sslMode=DISABLED&allowPublicKeyRetrieval=true&connectionTimeZone=UTC"
            + "&forceConnectionTimeZoneToSession=true&connectTimeout=5000";

    private final String url;
    private final String user;
    private final String password;

    /**
     * @param jdbcBaseUrl the server, such as {@code jdbc:mysql://127.0.0.1:3306}, with or without a
     *                    database or options of its own
     */
    public InvariantChecker(String jdbcBaseUrl, String user, String password) {
        this.url = connectionUrl(jdbcBaseUrl);
        this.user = user;
        this.password = password == null ? "" : password;
    }

    /**
     * Checks every invariant.
     *
     * @throws CannotCheckException when the server cannot be reached or a required schema or table
     *                              is missing (a missing queue_token table only skips its invariant)
     */
    public Report check(Schemas schemas) {
        Snapshot snapshot;
        try (Connection connection = connect()) {
            connection.setReadOnly(true);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setAutoCommit(false);
            try {
                snapshot = new SnapshotReader(connection, schemas).read();
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new CannotCheckException("cannot read the schemas (" + schemas + ") at " + url + ": " + e.getMessage(), e);
        }
        List<String> notes = new ArrayList<>();
        if (snapshot.tokenStatuses().isEmpty()) {
            notes.add(Invariant.PAID_TOKEN_EXPIRED + " skipped: no table " + schemas.queue() + ".queue_token");
        }
        Report.Checked checked = new Report.Checked(
                users(snapshot), snapshot.ledger().size(), snapshot.charges().size(), snapshot.payments().size(),
                snapshot.reservations().size(), snapshot.seats().size(), snapshot.seatHolds().size(),
                snapshot.tokenStatuses().map(Map::size).orElse(0));
        return new Report(Rules.judge(snapshot), checked, snapshot.unsentOutboxRows(), notes);
    }

    /** The URL connected to: the given one with the default options it does not set itself. */
    public String url() {
        return url;
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return DriverManager.getConnection(url, properties);
    }

    private static int users(Snapshot snapshot) {
        Set<Long> users = snapshot.wallets().stream().map(Snapshot.Wallet::userId)
                .collect(Collectors.toCollection(HashSet::new));
        snapshot.ledger().forEach(entry -> users.add(entry.userId()));
        return users.size();
    }

    static String connectionUrl(String jdbcBaseUrl) {
        if (jdbcBaseUrl == null || !jdbcBaseUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("expected a JDBC URL such as jdbc:mysql://127.0.0.1:3306, got '"
                    + jdbcBaseUrl + "'");
        }
        int query = jdbcBaseUrl.indexOf('?');
        String address = (query < 0 ? jdbcBaseUrl : jdbcBaseUrl.substring(0, query)).replaceAll("/+$", "");
        String options = query < 0 ? "" : jdbcBaseUrl.substring(query + 1);
        int hosts = address.indexOf("//");
        boolean hasDatabase = hosts >= 0 && address.indexOf('/', hosts + 2) >= 0;
        StringBuilder result = new StringBuilder(address).append(hasDatabase ? "?" : "/?").append(options);
        for (String option : DEFAULT_OPTIONS.split("&")) {
            String key = option.substring(0, option.indexOf('=') + 1);
            boolean sslSet = key.equals("sslMode=") && (options.contains("useSSL=") || options.contains("sslMode="));
            if (!sslSet && !("&" + options).contains("&" + key)) {
                result.append(result.charAt(result.length() - 1) == '?' ? "" : "&").append(option);
            }
        }
        return result.toString();
    }
}
