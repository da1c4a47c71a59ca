package dev.ticketing.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.List;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** One Swagger UI at the gateway, listing every service's OpenAPI document, which it reads through itself. */
class ApiDocumentationTest extends GatewayTestBase {

    @Test
    void servesTheSwaggerUiPage() {
        String location = client.get().uri("/swagger-ui.html").exchange()
                .expectStatus().is3xxRedirection()
                .returnResult(Void.class).getResponseHeaders().getFirst(HttpHeaders.LOCATION);
        assertThat(location).isEqualTo("/swagger-ui/index.html");

        client.get().uri(location).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).value(page -> assertThat(page).contains("swagger-ui"));
        client.head().uri(location).exchange().expectStatus().isOk();
        // The page starts Swagger UI with the gateway's configuration, not a default document.
        client.get().uri("/swagger-ui/swagger-initializer.js").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(script -> assertThat(script).contains("/v3/api-docs/swagger-config"));

        assertNoServiceCalled();
    }

    @Test
    void listsEveryServiceAndNoDocumentOfItsOwn() {
        JsonNode config = client.get().uri("/v3/api-docs/swagger-config").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(StreamSupport.stream(config.path("urls").spliterator(), false)
                .map(url -> entry(url.path("name").asText(), url.path("url").asText())))
                .containsExactlyInAnyOrder(
                        entry("queue-service", "/api-docs/queue-service"),
                        entry("concert-service", "/api-docs/concert-service"),
                        entry("reservation-service", "/api-docs/reservation-service"),
                        entry("payment-service", "/api-docs/payment-service"));
        assertThat(config.path("urls.primaryName").asText()).isEqualTo("queue-service");
        assertThat(config.has("url")).as("a document of the gateway's own").isFalse();
        assertProblem(client.get().uri("/v3/api-docs").exchange(), HttpStatus.NOT_FOUND, "NOT_FOUND");
    }

    @ParameterizedTest
    @CsvSource({
            "queue-service,       queue",
            "concert-service,     concert",
            "reservation-service, reservation",
            "payment-service,     payment"})
    void readsEachServiceDocumentThroughTheGateway(String serviceName, String stub) {
        client.get().uri("/api-docs/" + serviceName)
                // Neither is looked at nor forwarded: a document is for anyone.
                .header("Queue-Token", "not-a-token")
                .header("X-User-Id", "7")
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.service").isEqualTo(stub);

        List<StubService.Call> calls = services.get(stub).calls();
        assertThat(calls).extracting(StubService.Call::toString).containsExactly("GET /v3/api-docs");
        assertThat(calls.get(0).headers()).doesNotContainKeys("Queue-Token", "X-User-Id", "X-Queue-Token-Id");
        services.forEach((name, service) -> {
            if (!name.equals(stub)) {
                assertThat(service.calls()).as("calls to " + name).isEmpty();
            }
        });
    }

    @Test
    void readsOnly() {
        for (String path : List.of("/api-docs/queue-service", "/swagger-ui.html", "/swagger-ui/index.html",
                "/v3/api-docs/swagger-config")) {
            for (HttpMethod method : List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE)) {
                assertProblem(client.method(method).uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                        .exchange(), HttpStatus.NOT_FOUND, "NOT_FOUND");
            }
        }

        assertNoServiceCalled();
    }

    @Test
    void knowsNoOtherDocuments() {
        for (String path : List.of("/api-docs/gateway", "/api-docs/", "/api-docs/queue-service/extra",
                "/v3/api-docs/queue-service", "/api-docs/queue-service.yaml")) {
            assertProblem(client.get().uri(path).exchange(), HttpStatus.NOT_FOUND, "NOT_FOUND");
        }

        assertNoServiceCalled();
    }

    @Test
    void answersServiceUnavailableForTheDocumentOfAServiceThatIsDown() {
        StubService concert = services.get("concert");
        concert.stop();
        try {
            WebTestClient.ResponseSpec response = client.get().uri("/api-docs/concert-service").exchange();
            response.expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1");
            assertProblem(response, HttpStatus.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE");
        } finally {
            concert.restart();
        }
    }
}
