package dev.ticketing.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.localstack.LocalStack;
import dev.ticketing.testsupport.FreePorts;

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
 * The whole suite as {@code ./run.sh} starts it (the built jars as processes, a real MariaDB and
 * KRaft broker), once per test JVM, on free ports so that a developer's running stack is left alone.
 * Settings that the journeys need are shortened: holds last a few seconds, admission is immediate,
 * and the outbox relays have their test-only switch.
 */
final class Stack {

    /** How long a hold lasts in this suite, and how long after it an unpaid one is released. */
    static final int HOLD_SECONDS = 6;
    static final int GRACE_SECONDS = 1;

    private static Stack shared;

    final LocalStack stack;
    /** Where every service exports its spans (OTLP/HTTP), kept in memory for the tests to read. */
    final TraceCollector traces;

    private Stack(LocalStack stack, TraceCollector traces) {
        this.stack = stack;
        this.traces = traces;
    }

    static synchronized Stack shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared.stack::stop, "e2e-stack-stop"));
        }
        return shared;
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
        for (String prefix : List.of("GATEWAY", "QUEUE", "CONCERT", "RESERVATION", "PAYMENT")) {
            env.put(prefix + "_PORT", Integer.toString(FreePorts.next()));
            env.put(prefix + "_MANAGEMENT_PORT", Integer.toString(FreePorts.next()));
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
        // The services' logs outlive the run (the run directory is removed), for a failure to be read afterwards.
        env.put("STACK_KEEP_LOGS", Path.of("target", "stack-logs").toAbsolutePath().toString());
        TraceCollector traces = new TraceCollector();
        env.put("MANAGEMENT_OTLP_TRACING_ENDPOINT", traces.endpoint());
        env.put("MANAGEMENT_TRACING_OPENTELEMETRY_EXPORT_SCHEDULE_DELAY", "200ms");
        try {
            LocalStack stack = new LocalStack(env);
            try {
                stack.start();
            } catch (Exception e) {
                stack.stop();
                throw new IllegalStateException("the suite did not start: " + e.getMessage(), e);
            }
            return new Stack(stack, traces);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String gateway() {
        return "http://127.0.0.1:" + stack.port("gateway");
    }

    String management(String module) {
        return "http://127.0.0.1:" + stack.managementPort(module);
    }

    /**
     * A write operation of an actuator endpoint on a module's management port, as an operator would call it
     * (for example {@code /actuator/queue} or the test-only {@code /actuator/outbox}); its JSON answer, which must be 200.
     */
    JsonNode operate(String module, String endpoint, String json) {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(management(module) + "/actuator/" + endpoint))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient()
                    .send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            return PublicApi.JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String kafka() {
        return stack.kafkaBootstrap();
    }

    String jdbcBaseUrl() {
        return stack.jdbcBaseUrl();
    }
}
