package dev.ticketing.localstack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The load balancer in front of several gateways, as an Ingress controller or a cloud load balancer would be in
 * production: HAProxy from the operating system's packages (Debian: {@code apt-get install haproxy}), listening on
 * the gateway's port. It spreads connections round robin over the gateways that pass its health check (each
 * gateway's readiness on its management port, every 500 ms), sends a request whose connection failed to
 * another gateway, and tells the gateways the client's address in {@code X-Forwarded-For} (set from the
 * connection, never taken from the client), which they trust for one hop (their per-address rate limit), as
 * they would behind an Ingress.
 */
final class FrontProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FrontProxy.class);

    private final Process process;
    private final int port;
    private final Path logFile;

    private FrontProxy(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /** Starts HAProxy on {@code port} in front of {@code gateways} and waits until it answers through one of them. */
    static FrontProxy start(Map<String, String> env, int port, List<Topology.Instance> gateways, Path runDir, Path logs)
            throws IOException, InterruptedException {
        String binary = binary(env);
        Path config = runDir.resolve("haproxy.cfg");
        Path unavailable = runDir.resolve("haproxy-503.http");
        Files.writeString(unavailable, UNAVAILABLE);
        Files.writeString(config, config(port, gateways, unavailable));
        Path logFile = logs.resolve("haproxy.log");
        Process process = new ProcessBuilder(binary, "-f", config.toString(), "-db")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        FrontProxy proxy = new FrontProxy(process, port, logFile);
        proxy.awaitAnswering(Duration.ofSeconds(30));
        log.info("HAProxy (pid {}) on :{} in front of {}", process.pid(), port, gateways.stream().map(Topology.Instance::name).toList());
        return proxy;
    }

    /**
     * What HAProxy answers when no gateway answered (none up, or the one it sent a request to died before
     * answering): the suite's own 503 problem, as the gateway would, so that a client sees the contract's
     * retryable answer, never the proxy's HTML page.
     */
    static final String UNAVAILABLE = unavailable();

    private static String unavailable() {
        String body = "{\"type\":\"https://ticketing.dev/problems/service-unavailable\",\"title\":\"Service Unavailable\","
                + "\"status\":503,\"detail\":\"no gateway could answer; retry shortly\",\"code\":\"SERVICE_UNAVAILABLE\"}";
        return "HTTP/1.1 503 Service Unavailable\r\n"
                + "Content-Type: application/problem+json\r\n"
                + "Retry-After: 1\r\n"
                + "Cache-Control: no-store\r\n"
                + "Content-Length: " + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n"
                + "\r\n"
                + body;
    }

    /** The HAProxy configuration: one front end, the gateways as one back end, health-checked. */
    static String config(int port, List<Topology.Instance> gateways, Path unavailable) {
        StringBuilder cfg = new StringBuilder("""
                # Written by local-stack: the load balancer in front of the gateways (an Ingress, locally).
                global
                    # No maxconn: HAProxy sizes it to the open-files limit it is given (asking for more than the
                    # limit makes it refuse to start).
                    # Its log goes to its standard output, which local-stack writes to haproxy.log.
                    log stdout format iso local0
                defaults
                    mode http
                    log global
                    # Only what went wrong: a request that got an error from HAProxy or a 5xx, or a connection
                    # that was cut (with its termination state, e.g. SH = the server closed it before answering).
                    option httplog
                    option dontlog-normal
                    timeout connect 1s
                    timeout client 60s
                    timeout server 30s
                    timeout http-keep-alive 60s
                    # A request whose connection to a gateway failed goes to another one (it never reached the first),
                    # and so does one whose gateway died before answering (empty-response), where that is safe to
                    # send again: see disable-l7-retry below. Without it, a request sent on a kept-alive connection
                    # to a gateway that dies gets its client connection closed with no answer at all (HAProxy
                    # leaves the retry to the client, as HTTP/1.1 allows for idempotent requests).
                    retries 2
                    option redispatch 1
                    retry-on conn-failure empty-response
                    # The request is read whole before it is sent, so that it can be sent again.
                    option http-buffer-request
                    option http-keep-alive
                    http-reuse safe
                    # No gateway answered (502), none was up (503) or one was too slow (504): the suite's 503.
                """);
        for (int status : List.of(502, 503, 504)) {
            cfg.append("    errorfile ").append(status).append(' ').append(unavailable).append('\n');
        }
        cfg.append("""
                frontend api
                """);
        cfg.append("    bind 127.0.0.1:").append(port).append('\n');
        cfg.append("""
                    # The client's address for the gateways' per-address limits (they trust one proxy hop): the
                    # edge sets it from the connection, replacing whatever the client sent (one header line; a
                    # second line, as option forwardfor adds, makes the gateway fall back to this proxy's address).
                    http-request set-header X-Forwarded-For %[src]
                    # A POST is sent again only when that cannot apply it twice: it carries an Idempotency-Key (a
                    # second try answers the first one's result), or it is a join (Q1, idempotent per user). Any
                    # other POST whose gateway died keeps HTTP's answer: the connection closes, outcome unknown.
                    http-request disable-l7-retry if METH_POST !{ req.hdr(Idempotency-Key) -m found } !{ path /api/v1/queue/tokens }
                    default_backend gateways
                backend gateways
                    balance roundrobin
                    option httpchk GET /actuator/health/readiness
                    http-check expect status 200
                """);
        for (Topology.Instance g : gateways) {
            cfg.append("    server ").append(g.name()).append(" 127.0.0.1:").append(g.port())
                    .append(" check port ").append(g.managementPort()).append(" inter 500ms fall 2 rise 2\n");
        }
        return cfg.toString();
    }

    /** HAProxy's executable: {@code STACK_HAPROXY}, or where Debian puts it, or on the PATH; an error saying how to get it. */
    static String binary(Map<String, String> env) {
        String configured = env.get("STACK_HAPROXY");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String candidate : List.of("/usr/sbin/haproxy", "/usr/local/sbin/haproxy", "/usr/bin/haproxy")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (!dir.isBlank() && Files.isExecutable(Path.of(dir, "haproxy"))) {
                return Path.of(dir, "haproxy").toString();
            }
        }
        throw new IllegalStateException("more than one gateway needs HAProxy in front of them (Debian: apt-get install haproxy; "
                + "or name the binary in STACK_HAPROXY), or run one gateway (STACK_REPLICAS=...,gateway=1)");
    }

    /** Whether HAProxy is there to stand in front of several gateways. */
    static boolean available(Map<String, String> env) {
        try {
            binary(env);
            return true;
        } catch (IllegalStateException missing) {
            return false;
        }
    }

    private void awaitAnswering(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("HAProxy exited with " + process.exitValue() + ", see " + logFile);
            }
            try {
                // HAProxy answers 503 itself until a gateway has passed its health check.
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() < 500) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("HAProxy did not reach a gateway within " + timeout + ", see " + logFile);
    }

    Path log() {
        return logFile;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
