package dev.ticketing.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The public API through the gateway, as a client sees it: JSON over HTTP, the queue token in a header. */
final class PublicApi {

    static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    PublicApi(String gateway) {
        this.base = gateway + "/api/v1";
    }

    /** A user who joined the queue and was let in. */
    Shopper admitted(long userId) {
        Answer joined = send("POST", "/queue/tokens", null, "{\"userId\":" + userId + "}", null);
        assertThat(joined.status()).as(joined.toString()).isEqualTo(201);
        String token = joined.body().path("token").asText();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> "ACTIVE".equals(get("/queue/status", token).body().path("status").asText()));
        return new Shopper(userId, token, tokenId(token));
    }

    Answer get(String path, String token) {
        return send("GET", path, token, null, null);
    }

    Answer post(String path, String token, String body) {
        return send("POST", path, token, body, null);
    }

    Answer delete(String path, String token) {
        return send("DELETE", path, token, null, null);
    }

    Answer send(String method, String path, String token, String body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Queue-Token", token);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The token id ({@code jti}) of a queue token: a client may read its own JWT's claims. */
    static String tokenId(String jwt) {
        try {
            byte[] claims = Base64.getUrlDecoder().decode(jwt.split("\\.")[1]);
            return JSON.readTree(new String(claims, StandardCharsets.UTF_8)).path("jti").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Shopper(long userId, String token, String tokenId) {
    }

    record Answer(int status, String contentType, JsonNode body) {

        String code() {
            return body.path("code").asText();
        }

        /** Asserts a problem+json answer with this status and code. */
        Answer problem(int expectedStatus, String expectedCode) {
            assertThat(status).as(toString()).isEqualTo(expectedStatus);
            assertThat(contentType).startsWith("application/problem+json");
            assertThat(code()).as(toString()).isEqualTo(expectedCode);
            return this;
        }

        Answer ok(int expectedStatus) {
            assertThat(status).as(toString()).isEqualTo(expectedStatus);
            return this;
        }
    }
}
