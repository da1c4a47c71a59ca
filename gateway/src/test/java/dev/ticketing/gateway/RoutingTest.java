package dev.ticketing.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.gateway.filter.headers.GRPCRequestHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.GRPCResponseHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What is routed where, and what never is. */
class RoutingTest extends GatewayTestBase {

    @Test
    void reportsHealthOnTheManagementPort(@LocalManagementPort int managementPort) {
        // The first request to the management port builds its handlers: on a busy CI machine that took
        // over WebTestClient's default 5 s once. Health is asserted here, not its speed.
        WebTestClient management = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort)
                .responseTimeout(Duration.ofSeconds(30)).build();
        management.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        management.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }

    @Test
    void forwardsPathsWithPathAndQueryIntact() {
        client.get().uri("/api/v1/concerts").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.service").isEqualTo("concert");
        client.get().uri("/api/v1/concerts/3/schedules/12/seats?page=0")
                .header("Queue-Token", activeToken())
                .exchange()
                .expectStatus().isOk();

        assertThat(services.get("concert").calls()).extracting(StubService.Call::toString).containsExactly(
                "GET /api/v1/concerts",
                "GET /api/v1/concerts/3/schedules/12/seats?page=0");
    }

    @Test
    void continuesTheClientsTraceIntoTheServiceUnderTheGatewaysOwnSpan() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String clientSpan = "00f067aa0ba902b7";
        client.get().uri("/api/v1/concerts/3/schedules")
                .header("Queue-Token", activeToken())
                .header("traceparent", "00-" + traceId + "-" + clientSpan + "-01")
                .exchange()
                .expectStatus().isOk();

        StubService.Call call = services.get("concert").calls().get(0);
        String[] forwarded = call.header("traceparent").split("-");
        assertThat(forwarded[1]).as("the client's trace").isEqualTo(traceId);
        assertThat(forwarded[2]).as("parent: the gateway's server span, not the client's").isNotEqualTo(clientSpan).hasSize(16);
        assertThat(forwarded[3]).as("sampled").isEqualTo("01");
    }

    @Test
    void copiesNoHeadersForGrpc(@Autowired List<HttpHeadersFilter> headerFilters) {
        // Nothing behind the gateway speaks gRPC; its filters would copy every request's headers once more.
        assertThat(headerFilters).isNotEmpty()
                .noneMatch(filter -> filter instanceof GRPCRequestHeadersFilter || filter instanceof GRPCResponseHeadersFilter);
    }

    @Test
    void startsATraceForAClientThatSentNone() {
        client.get().uri("/api/v1/concerts").exchange().expectStatus().isOk();

        assertThat(services.get("concert").calls().get(0).header("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    }

    @Test
    void namesEachForwardedRouteByItsPathTemplateInTheRequestMetric(@Autowired MeterRegistry meters) {
        client.get().uri("/api/v1/concerts/5/schedules").header("Queue-Token", activeToken()).exchange()
                .expectStatus().isOk();
        client.get().uri("/api/v1/no/such/route").exchange().expectStatus().isNotFound();

        assertThat(meters.find("http.server.requests").tag("uri", "/api/v1/concerts/{concertId}/schedules")
                .tag("status", "200").timer())
                .as("one timer per route template, not per path").isNotNull()
                .satisfies(timer -> assertThat(timer.count()).isPositive());
        assertThat(meters.find("http.server.requests").tags("uri", "/api/v1/concerts/5/schedules").timers()).isEmpty();
        assertThat(meters.find("spring.cloud.gateway.requests").timers()).as("no second timer per request").isEmpty();
        assertThat(meters.find("http.client.requests").tag("spring.cloud.gateway.route.id", "C2").timers())
                .as("nor a client timer of the proxied call").isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "GET,    /api/v1/concerts,                     concert",
            "GET,    /api/v1/concerts/3/schedules,         concert",
            "GET,    /api/v1/concerts/3/schedules/9/seats, concert",
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
        WebTestClient.RequestBodySpec request = client.method(HttpMethod.valueOf(method)).uri(path)
                .header("Queue-Token", activeToken());
        if (method.equals("POST")) {
            request.contentType(MediaType.APPLICATION_JSON).bodyValue("{\"userId\":7}");
        }
        request.exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.service").isEqualTo(service);

        assertThat(services.get(service).calls().stream().filter(call -> !call.uri().startsWith("/internal/")))
                .extracting(StubService.Call::toString)
                .containsExactly(method + " " + path);
    }

    @Test
    void neverRoutesInternalOrOperatorPaths() {
        String token = activeToken();
        for (String path : List.of("/internal/anything", "/internal/tokens/1", "/internal/reservations/1",
                "/api/v1/internal/tokens/1", "/api/v1/queue/admin/pause", "/api/v1/queue/admin/settings",
                "/actuator/health", "/actuator/prometheus", "/api/v1/actuator/health")) {
            for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.POST)) {
                assertProblem(client.method(method).uri(path).header("Queue-Token", token).exchange(),
                        HttpStatus.NOT_FOUND, "NOT_FOUND");
            }
        }

        assertNoServiceCalled();
    }

    @Test
    void refusesDotSegmentsThatWouldLeaveTheRoutedPath(@LocalServerPort int port) {
        for (String path : List.of(
                "/api/v1/concerts/../../../internal/reservations/1",
                "/api/v1/concerts/%2e%2e/%2e%2e/%2e%2e/internal/reservations/1",
                "/api/v1/concerts/..;/..;/..;/internal/reservations/1")) {
            // A URI, so the client sends the path as written, neither encoded again nor normalised.
            assertProblem(client.get().uri(URI.create("http://127.0.0.1:" + port + path)).exchange(),
                    HttpStatus.NOT_FOUND, "NOT_FOUND");
        }

        assertNoServiceCalled();
    }

    @Test
    void answersNotFoundForPathsOutsideThePublicApi() {
        for (String path : List.of("/sitemap.xml", "/api/v1/unknown", "/api/v1/users/7", "/api/v1/concerts/3/seats",
                "/api/v2/concerts")) {
            assertProblem(client.get().uri(path).exchange(), HttpStatus.NOT_FOUND, "NOT_FOUND");
        }

        assertNoServiceCalled();
    }

    @Test
    void answersMethodNotAllowedWithTheMethodsThePathAllows() {
        WebTestClient.ResponseSpec listReservations = client.get().uri("/api/v1/reservations").exchange();
        listReservations.expectHeader().valueEquals(HttpHeaders.ALLOW, "POST");
        assertProblem(listReservations, HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED");

        WebTestClient.ResponseSpec replaceReservation = client.put().uri("/api/v1/reservations/42")
                .header("Queue-Token", activeToken()).exchange();
        replaceReservation.expectHeader().valueEquals(HttpHeaders.ALLOW, "GET,DELETE");
        assertProblem(replaceReservation, HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED");

        WebTestClient.ResponseSpec deleteConcerts = client.delete().uri("/api/v1/concerts").exchange();
        deleteConcerts.expectHeader().valueEquals(HttpHeaders.ALLOW, "GET");
        assertProblem(deleteConcerts, HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED");

        client.head().uri("/api/v1/concerts").exchange()
                .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
                .expectHeader().valueEquals(HttpHeaders.ALLOW, "GET");
        assertProblem(client.options().uri("/api/v1/payments").exchange(), HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED");

        assertNoServiceCalled();
    }
}
