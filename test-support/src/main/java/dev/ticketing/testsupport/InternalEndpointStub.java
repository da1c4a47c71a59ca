package dev.ticketing.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Another service's {@code GET /internal/<things>/{id}} as a service under test sees it over HTTP: a
 * real server on a fixed port that a test can stop and start (to play an outage), answering the
 * JSON it was given per id, or 404 problem+json with {@code notFoundCode}, and counting its calls; it answers
 * the caller's load balancer's liveness checks ({@code /livez}) while it runs.
 */
public final class InternalEndpointStub {

    private final String pathPrefix;
    private final String notFoundCode;
    private final int port;
    private final Map<Long, byte[]> answers = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private HttpServer server;

    /** @param pathPrefix e.g. {@code "/internal/schedules/"}; the id follows it */
    public InternalEndpointStub(String pathPrefix, String notFoundCode) {
        this.pathPrefix = pathPrefix;
        this.notFoundCode = notFoundCode;
        this.port = FreePorts.next();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** What {@code GET <pathPrefix><id>} answers from now on. */
    public void answer(long id, byte[] json) {
        answers.put(id, json.clone());
    }

    public int calls() {
        return calls.get();
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext(pathPrefix, this::answer);
        server.createContext("/livez", InternalEndpointStub::live);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            ((ExecutorService) server.getExecutor()).shutdownNow();
            server = null;
        }
    }

    /** Where the caller's load balancer checks that this instance is alive: 200 while it runs (not counted as a call). */
    private static void live(HttpExchange exchange) throws IOException {
        byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * The property that lists this stub as the one instance of {@code serviceName} for the caller's load balancer
     * (Spring Cloud LoadBalancer's static discovery), for a test's {@code DynamicPropertySource}.
     */
    public static String discoveryProperty(String serviceName) {
        return "spring.cloud.discovery.client.simple.instances." + serviceName + "[0].uri";
    }

    private void answer(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        String id = exchange.getRequestURI().getPath().substring(pathPrefix.length());
        byte[] found = id.matches("\\d{1,18}") ? answers.get(Long.parseLong(id)) : null;
        byte[] body = found != null ? found
                : ("{\"status\":404,\"code\":\"" + notFoundCode + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", found != null ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(found != null ? 200 : 404, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
