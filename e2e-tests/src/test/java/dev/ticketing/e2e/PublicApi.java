package dev.ticketing.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

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
        Answer joined = join(userId);
        // 200 only where an earlier try answered 503 (see join).
        assertThat(joined.status()).as(joined.toString()).isIn(201, joined.retried() ? 200 : 201);
        String token = joined.body().path("token").asText();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> "ACTIVE".equals(get("/queue/status", token).body().path("status").asText()));
        return new Shopper(userId, token, tokenId(token));
    }

    /**
     * Joins as a client should: a 503 (with Retry-After) is retried after the pause it asks for, up
     * to five times. The first join of a freshly started stack on a busy host once missed the
     * gateway's join time limit. After a 503 the join may have been written all the same, so the
     * retry may answer 200 with that token; a fresh user's first answer is otherwise 201. Tests
     * of the join's own answers post it directly.
     */
    Answer join(long userId) {
        String body = "{\"userId\":" + userId + "}";
        Answer joined = send("POST", "/queue/tokens", null, body, null);
        int retries = 0;
        for (; retries < 5 && joined.status() == 503; retries++) {
            String retryAfter = joined.header("Retry-After");
            long pause = retryAfter == null ? 1 : Long.parseLong(retryAfter.trim());
            try {
                Thread.sleep(Duration.ofSeconds(pause).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            joined = send("POST", "/queue/tokens", null, body, null).afterRetry();
        }
        if (retries > 0) {
            System.out.printf("join of user %d: answered 503 and retried %d times, then %d%n", userId, retries, joined.status());
        }
        return joined;
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
        Map<String, String> headers = new LinkedHashMap<>();
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        if (token != null) {
            headers.put("Queue-Token", token);
        }
        if (idempotencyKey != null) {
            headers.put("Idempotency-Key", idempotencyKey);
        }
        return exchange(method, path, headers, body);
    }

    /** Any request a client could make: these headers and body, nothing added. */
    Answer exchange(String method, String path, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            return answer(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends without waiting, for bursts. */
    CompletableFuture<Answer> sendAsync(String method, String path, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Queue-Token", token).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(PublicApi::answer);
    }

    private static Answer answer(HttpResponse<String> response) {
        JsonNode json;
        try {
            json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException notJson) {
            json = JSON.nullNode();
        }
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), json,
                response.body(), response.headers());
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

    /** An answer as received: {@code text} is the body byte for byte, {@code body} the same parsed (null node if not JSON). */
    record Answer(int status, String contentType, JsonNode body, String text, HttpHeaders headers, boolean retried) {

        Answer(int status, String contentType, JsonNode body, String text, HttpHeaders headers) {
            this(status, contentType, body, text, headers, false);
        }

        /** This answer, marked as the answer to a retry. */
        Answer afterRetry() {
            return new Answer(status, contentType, body, text, headers, true);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String code() {
            return body.path("code").asText();
        }

        /** Asserts a problem+json answer with this status and code. */
        Answer problem(int expectedStatus, String expectedCode) {
            assertThat(status).as(toString()).isEqualTo(expectedStatus);
            assertThat(contentType).as(toString()).startsWith("application/problem+json");
            assertThat(code()).as(toString()).isEqualTo(expectedCode);
            assertThat(body.path("status").asInt()).as(toString()).isEqualTo(expectedStatus);
            assertThat(body.path("title").asText()).as(toString()).isNotBlank();
            return this;
        }

        Answer ok(int expectedStatus) {
            assertThat(status).as(toString()).isEqualTo(expectedStatus);
            return this;
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + text;
        }
    }
}
