package dev.ticketing.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

/** Boots the gateway with every route pointed at a stub service and checks what it forwards. */
@SpringBootTest(webEnvironment = RANDOM_PORT, properties = "management.server.port=0")
class GatewayApplicationTest {

    private static final Map<String, StubService> services = Map.of(
            "queue", StubService.start("queue"),
            "concert", StubService.start("concert"),
            "reservation", StubService.start("reservation"),
            "payment", StubService.start("payment"));

    private final WebTestClient client;
    private final WebTestClient management;
    private final String server;

    @Autowired
    GatewayApplicationTest(WebTestClient client, @LocalServerPort int port, @LocalManagementPort int managementPort) {
        this.client = client;
        this.server = "http://127.0.0.1:" + port;
        this.management = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort).build();
    }

    @DynamicPropertySource
    static void routes(DynamicPropertyRegistry r) {
        services.forEach((name, stub) -> r.add("ticketing.services." + name, stub::url));
    }

    @AfterAll
    static void stopStubs() {
        services.values().forEach(StubService::stop);
    }

    @BeforeEach
    void forgetRequests() {
        services.values().forEach(stub -> stub.requests.clear());
    }

    @Test
    void reportsHealthOnTheManagementPort() {
        management.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        management.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }

    @Test
    void forwardsConcertPathsWithPathAndQueryIntact() {
        client.get().uri("/api/v1/concerts").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.service").isEqualTo("concert");
        client.get().uri("/api/v1/concerts/3/schedules/12/seats?page=0").exchange()
                .expectStatus().isOk();

        assertThat(services.get("concert").requests).containsExactly(
                "GET /api/v1/concerts",
                "GET /api/v1/concerts/3/schedules/12/seats?page=0");
    }

    @ParameterizedTest
    @CsvSource({
            "POST,   /api/v1/queue/tokens,                 queue",
            "GET,    /api/v1/queue/status,                 queue",
            "GET,    /api/v1/concerts/3/schedules,         concert",
            "POST,   /api/v1/reservations,                 reservation",
            "GET,    /api/v1/reservations/42,              reservation",
            "DELETE, /api/v1/reservations/42,              reservation",
            "GET,    /api/v1/users/7/balance,              payment",
            "POST,   /api/v1/users/7/balance/charges,      payment",
            "GET,    /api/v1/users/7/balance/history,      payment",
            "POST,   /api/v1/payments,                     payment",
            "GET,    /api/v1/payments/5,                   payment",
            "GET,    /api/v1/users/7/payments,             payment"})
    void routesEachPublicPathToItsService(String method, String path, String service) {
        client.method(HttpMethod.valueOf(method)).uri(path).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.service").isEqualTo(service);

        assertThat(services.get(service).requests).containsExactly(method + " " + path);
    }

    @Test
    void neverRoutesInternalPaths() {
        client.get().uri("/internal/anything").exchange().expectStatus().isNotFound();
        client.get().uri("/internal/reservations/1").exchange().expectStatus().isNotFound();

        assertNoServiceCalled();
    }

    @Test
    void refusesDotSegmentsThatWouldLeaveTheRoutedPath() {
        for (String path : List.of(
                "/api/v1/concerts/../../../internal/reservations/1",
                "/api/v1/concerts/%2e%2e/%2e%2e/%2e%2e/internal/reservations/1",
                "/api/v1/concerts/..;/..;/..;/internal/reservations/1")) {
            // A URI, so the client sends the path as written, neither encoded again nor normalised.
            client.get().uri(URI.create(server + path)).exchange().expectStatus().isNotFound();
        }

        assertNoServiceCalled();
    }

    @Test
    void answersNotFoundForPathsOutsideThePublicApi() {
        client.get().uri("/api/v1/unknown").exchange().expectStatus().isNotFound();
        client.get().uri("/api/v1/users/7").exchange().expectStatus().isNotFound();

        assertNoServiceCalled();
    }

    private static void assertNoServiceCalled() {
        services.values().forEach(stub -> assertThat(stub.requests).as(stub.name).isEmpty());
    }

    /** A service stand-in that records "METHOD /path?query" and answers {"service": name}. */
    private record StubService(String name, HttpServer server, List<String> requests) {

        static StubService start(String name) {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                StubService stub = new StubService(name, server, new CopyOnWriteArrayList<>());
                server.createContext("/", stub::answer);
                server.start();
                return stub;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void stop() {
            server.stop(0);
        }

        private void answer(HttpExchange exchange) throws IOException {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.getRequestBody().readAllBytes();
            byte[] body = ("{\"service\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }
    }
}
