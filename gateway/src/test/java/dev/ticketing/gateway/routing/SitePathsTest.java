package dev.ticketing.gateway.routing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;

import static org.assertj.core.api.Assertions.assertThat;

class SitePathsTest {

    @ParameterizedTest
    @CsvSource({
            "GET,    /,                               true",
            "HEAD,   /index.html,                     true",
            "GET,    /site/app.js,                    true",
            "GET,    /swagger-ui.html,                true",
            "GET,    /webjars/swagger-ui/index.html,  true",
            "GET,    /v3/api-docs/swagger-config,     true",
            "HEAD,   /api-docs/queue-service,         true",
            "GET,    /api-docs/payment-service,       true",
            "POST,   /,                               false",
            "POST,   /api-docs/queue-service,         false",
            "GET,    /api-docs/queue-service/extra,   false",
            "GET,    /v3/api-docs,                    false",
            "GET,    /v3/api-docs/queue-service,      false",
            "DELETE, /site/app.js,                    false",
            "GET,    /internal/tokens/1,              false",
            "GET,    /actuator/health,                false",
            "GET,    /api/v1/concerts,                false",
            "GET,    /sitemap.xml,                    false"})
    void servesOnlyThePageAndTheDocumentationAndOnlyForReading(String method, String path, boolean served) {
        assertThat(SitePaths.matches(HttpMethod.valueOf(method), PathContainer.parsePath(path))).isEqualTo(served);
    }

    @ParameterizedTest
    @CsvSource({
            "/,                    true",
            "/index.html,          true",
            "/site/app.js,         true",
            "/favicon.ico,         true",
            "/swagger-ui.html,     false",
            "/v3/api-docs/gateway, false",
            "/api/v1/concerts,     false"})
    void tellsThePurchasePageFromTheDocumentation(String path, boolean page) {
        assertThat(SitePaths.isPage(PathContainer.parsePath(path))).isEqualTo(page);
    }
}
