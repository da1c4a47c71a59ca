package dev.ticketing.gateway;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Body size (413) and content type (415): the first checks, before rate limits and tokens. */
class RequestShapeTest extends GatewayTestBase {

    private static final int LIMIT = 16 * 1024;

    @Test
    void refusesBodyOverSixteenKibibytesWithPayloadTooLarge() {
        // No token: 413 comes before 401.
        assertProblem(client.post().uri("/api/v1/reservations")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(jsonOfSize(17 * 1024))
                        .exchange(),
                HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE");

        assertNoServiceCalled();
    }

    @Test
    void refusesStreamedBodyOverTheLimitThatDeclaresNoLength(@LocalServerPort int port) throws Exception {
        HttpResponse<String> response = sendChunked(port, "/api/v1/queue/tokens", jsonOfSize(17 * 1024));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"code\":\"PAYLOAD_TOO_LARGE\"");
        assertNoServiceCalled();
    }

    @Test
    void forwardsBodyOfExactlyTheLimitIntact(@LocalServerPort int port) throws Exception {
        client.post().uri("/api/v1/queue/tokens")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(jsonOfSize(LIMIT))
                .exchange()
                .expectStatus().isOk();
        HttpResponse<String> chunked = sendChunked(port, "/api/v1/queue/tokens", jsonOfSize(LIMIT));

        assertThat(chunked.statusCode()).isEqualTo(200);
        assertThat(queue.calls()).extracting(StubService.Call::bodyLength).containsExactly(LIMIT, LIMIT);
    }

    @Test
    void refusesBodyThatIsNotJsonWithUnsupportedMediaType() {
        assertProblem(client.post().uri("/api/v1/queue/tokens")
                        .contentType(MediaType.TEXT_PLAIN)
                        .bodyValue("userId=7")
                        .exchange(),
                HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE");
        // Before the token check too.
        assertProblem(client.post().uri("/api/v1/payments")
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                        .bodyValue("reservationId=42")
                        .exchange(),
                HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE");

        assertNoServiceCalled();
    }

    @Test
    void refusesUnreadableContentTypeWithUnsupportedMediaType(@LocalServerPort int port) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/users/7/balance/charges"))
                .timeout(Duration.ofSeconds(10))
                .header("Queue-Token", activeToken())
                .header("Content-Type", "not a media type")
                .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":1}"))
                .build();

        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.body()).contains("\"code\":\"UNSUPPORTED_MEDIA_TYPE\"");
        assertNoServiceCalled();
    }

    @Test
    void checksSizeBeforeContentType() {
        assertProblem(client.post().uri("/api/v1/queue/tokens")
                        .contentType(MediaType.TEXT_PLAIN)
                        .bodyValue("x".repeat(17 * 1024))
                        .exchange(),
                HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void acceptsJsonWithParametersAndStructuredSuffix() {
        client.post().uri("/api/v1/queue/tokens")
                .header("Content-Type", "application/json;charset=UTF-8")
                .bodyValue("{\"userId\":7}")
                .exchange()
                .expectStatus().is2xxSuccessful();
        client.post().uri("/api/v1/queue/tokens")
                .header("Content-Type", "application/merge-patch+json")
                .bodyValue("{\"userId\":7}")
                .exchange()
                .expectStatus().is2xxSuccessful();

        assertThat(queue.calls()).hasSize(2);
    }

    private static String jsonOfSize(int bytes) {
        String prefix = "{\"pad\":\"";
        String suffix = "\"}";
        char[] pad = new char[bytes - prefix.length() - suffix.length()];
        Arrays.fill(pad, 'x');
        return prefix + new String(pad) + suffix;
    }

    /** Sent with Transfer-Encoding: chunked and no Content-Length, as a streaming client would. */
    private static HttpResponse<String> sendChunked(int port, String path, String body) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.getBytes())))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersRequestsNettyCannotDecodeWithProblemsToo() {
        // Refused by Reactor Netty's decoder before any filter: DecodingFailureProblems writes their bodies.
        WebTestClient.ResponseSpec longLine = client.get().uri("/api/v1/concerts/" + "1".repeat(5000)).exchange();
        assertProblem(longLine, HttpStatus.URI_TOO_LONG, "URI_TOO_LONG");
        WebTestClient.ResponseSpec bigHeaders = client.get().uri("/api/v1/concerts").header("X-Padding", "a".repeat(9000)).exchange();
        assertProblem(bigHeaders, HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "HEADERS_TOO_LARGE");
        assertNoServiceCalled();
    }
}
