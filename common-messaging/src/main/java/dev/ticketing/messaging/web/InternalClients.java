package dev.ticketing.messaging.web;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * Clients for another service's {@code /internal/**} endpoints (DESIGN section 2): every attempt
 * bounded by a connect and a read timeout, so that retries and a circuit breaker around it keep
 * the whole call under its budget.
 */
public final class InternalClients {

    private InternalClients() {
    }

    public static RestClient create(RestClient.Builder builder, String baseUrl, Duration connectTimeout, Duration readTimeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
        requests.setReadTimeout(readTimeout);
        return builder.baseUrl(baseUrl).requestFactory(requests).build();
    }
}
