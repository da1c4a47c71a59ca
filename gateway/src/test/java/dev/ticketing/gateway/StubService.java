package dev.ticketing.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A service stand-in on a real port. It records every request (method, path and query, headers,
 * body size) and answers {@code {"service": name}}; as queue-service it also answers
 * the gateway's batched token lookups ({@code POST /internal/tokens/statuses}) and status polls
 * ({@code POST /internal/tokens/polls}) from statuses a test sets (unknown tokens left out), and
 * batched joins ({@code POST /internal/tokens/joins}): a user's first join issues a made-up token
 * view, later ones answer it again. It can hang, to
 * play a service that accepts connections but never answers, and stop and start again on its port.
 */
final class StubService {

    private static final String TOKEN_LOOKUP = "/internal/tokens/statuses";
    private static final String STATUS_POLLS = "/internal/tokens/polls";
    private static final String JOINS = "/internal/tokens/joins";
    private static final String LIVENESS = "/livez";
    /** The pause before the next poll this stand-in tells a waiting token's holder (queue-service's pollAfterSeconds). */
    static final int WAITING_POLL_AFTER = 7;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger healthChecks = new java.util.concurrent.atomic.AtomicInteger();
    private final List<String> lookedUp = new CopyOnWriteArrayList<>();
    private final Map<String, String> tokenStatuses = new ConcurrentHashMap<>();
    private final Map<String, String> tokenViews = new ConcurrentHashMap<>();
    /** The live token's view of each user who joined through the batched joins. */
    private final Map<Long, String> joinedViews = new ConcurrentHashMap<>();
    private final List<String> joinTraceparents = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "stub");
        thread.setDaemon(true);
        return thread;
    });
    private volatile HttpServer server;
    private volatile int port;
    private volatile CountDownLatch hang;
    private volatile boolean failingLiveness;

    private StubService(String name) {
        this.name = name;
    }

    static StubService start(String name) {
        StubService stub = new StubService(name);
        stub.listen(0);
        return stub;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Every request, lookups included. */
    List<Call> calls() {
        return calls;
    }

    /** The token ids whose status was asked for, one entry per id and lookup call. */
    List<String> lookups() {
        return List.copyOf(lookedUp);
    }

    /** How many lookup calls ({@code POST /internal/tokens/statuses}) arrived, each with any number of ids. */
    long lookupCalls() {
        return calls.stream().filter(call -> call.uri().equals(TOKEN_LOOKUP)).count();
    }

    /** How many status poll calls ({@code POST /internal/tokens/polls}) arrived, each with any number of ids. */
    long pollCalls() {
        return calls.stream().filter(call -> call.uri().equals(STATUS_POLLS)).count();
    }

    /** How many join calls ({@code POST /internal/tokens/joins}) arrived, each with any number of joins. */
    long joinCalls() {
        return calls.stream().filter(call -> call.uri().equals(JOINS)).count();
    }

    /** The view the user's joins are answered with, once they joined. */
    String joinedView(long userId) {
        return joinedViews.get(userId);
    }

    /** The trace context each batched join carried, in the order they arrived. */
    List<String> joinTraceparents() {
        return List.copyOf(joinTraceparents);
    }

    /** The token view a poll of this token is answered with, as queue-service would write it. */
    String tokenView(UUID tokenId) {
        return tokenViews.get(tokenId.toString());
    }

    void forgetCalls() {
        calls.clear();
        lookedUp.clear();
        joinTraceparents.clear();
    }

    void answerTokenStatus(UUID tokenId, long userId, String status, Instant activeUntil) {
        String until = activeUntil == null ? "null" : "\"" + activeUntil + "\"";
        tokenStatuses.put(tokenId.toString(), "{\"tokenId\":\"" + tokenId + "\",\"userId\":" + userId
                + ",\"status\":\"" + status + "\",\"activeUntil\":" + until + "}");
        boolean waiting = status.equals("WAITING");
        tokenViews.put(tokenId.toString(), "{\"token\":\"jwt-of-" + tokenId + "\",\"userId\":" + userId
                + ",\"status\":\"" + status + "\",\"position\":" + (waiting ? 3 : 0)
                + ",\"estimatedWaitSeconds\":" + (waiting ? "6" : status.equals("ACTIVE") ? "0" : "null")
                + ",\"activeUntil\":" + until + "}");
    }

    void hang() {
        hang = new CountDownLatch(1);
    }

    void answerAgain() {
        CountDownLatch hanging = hang;
        hang = null;
        if (hanging != null) {
            hanging.countDown();
        }
    }

    /** Closes the port: connections are refused until {@link #restart()}. */
    void stop() {
        answerAgain();
        server.stop(0);
    }

    void restart() {
        listen(port);
    }

    private void listen(int wanted) {
        try {
            HttpServer started = HttpServer.create(new InetSocketAddress("127.0.0.1", wanted), 0);
            started.createContext("/", this::answer);
            started.createContext(LIVENESS, this::live);
            started.setExecutor(threads);
            started.start();
            server = started;
            port = started.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The liveness the gateway's load balancer checks: answered while the port is open, hanging or not, and not recorded as a call. */
    private void live(HttpExchange exchange) throws IOException {
        healthChecks.incrementAndGet();
        boolean up = !failingLiveness;
        byte[] bytes = (up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(up ? 200 : 503, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** Answers its liveness 503 (true), as an instance that lost its way would, or 200 again (false); its other answers go on. */
    void failLiveness(boolean failing) {
        failingLiveness = failing;
    }

    /** How many times the gateway's load balancer checked this stand-in's liveness. */
    int healthChecks() {
        return healthChecks.get();
    }

    /** Lists this stand-in as an instance of {@code serviceName} (the n-th registered for it) in the gateway's discovery. */
    void register(org.springframework.test.context.DynamicPropertyRegistry registry, String serviceName, int index) {
        registry.add("spring.cloud.discovery.client.simple.instances." + serviceName + "[" + index + "].uri", this::url);
    }

    /** Lists this stand-in as the one instance of {@code serviceName} in the gateway's discovery. */
    void register(org.springframework.test.context.DynamicPropertyRegistry registry, String serviceName) {
        register(registry, serviceName, 0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String uri = exchange.getRequestURI().toString();
        byte[] requestBody = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((key, values) -> headers.put(key, String.join(",", values)));
        calls.add(new Call(exchange.getRequestMethod(), uri, headers, requestBody.length));

        CountDownLatch hanging = hang;
        if (hanging != null) {
            try {
                hanging.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int status = 200;
        String body = "{\"service\":\"" + name + "\"}";
        if (uri.equals(TOKEN_LOOKUP)) {
            List<String> found = new ArrayList<>();
            for (JsonNode id : JSON.readTree(requestBody).path("tokenIds")) {
                lookedUp.add(id.asText());
                String known = tokenStatuses.get(id.asText());
                if (known != null) {
                    found.add(known);
                }
            }
            body = "{\"tokens\":[" + String.join(",", found) + "]}";
        } else if (uri.equals(STATUS_POLLS)) {
            List<String> found = new ArrayList<>();
            for (JsonNode id : JSON.readTree(requestBody).path("tokenIds")) {
                String view = tokenViews.get(id.asText());
                if (view != null) {
                    // As queue-service paces a waiting client; nothing to wait for otherwise.
                    String pollAfter = view.contains("\"WAITING\"") ? ",\"pollAfterSeconds\":" + WAITING_POLL_AFTER : "";
                    found.add("{\"tokenId\":\"" + id.asText() + "\",\"view\":" + view + pollAfter + "}");
                }
            }
            body = "{\"views\":[" + String.join(",", found) + "]}";
        } else if (uri.equals(JOINS)) {
            List<String> answers = new ArrayList<>();
            for (JsonNode join : JSON.readTree(requestBody).path("joins")) {
                long userId = join.path("userId").asLong();
                joinTraceparents.add(join.path("traceparent").asText(null));
                boolean[] created = {false};
                String view = joinedViews.computeIfAbsent(userId, id -> {
                    created[0] = true;
                    return "{\"token\":\"jwt-for-user-" + id + "\",\"userId\":" + id
                            + ",\"status\":\"WAITING\",\"position\":1"
                            + ",\"estimatedWaitSeconds\":1,\"activeUntil\":null}";
                });
                answers.add("{\"userId\":" + userId + ",\"created\":" + created[0] + ",\"view\":" + view + "}");
            }
            body = "{\"joins\":[" + String.join(",", answers) + "]}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    record Call(String method, String uri, Map<String, String> headers, int bodyLength) {

        String header(String name) {
            return headers.get(name);
        }

        @Override
        public String toString() {
            return method + " " + uri;
        }
    }
}
