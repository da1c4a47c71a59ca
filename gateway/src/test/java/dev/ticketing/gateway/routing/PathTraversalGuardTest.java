package dev.ticketing.gateway.routing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PathTraversalGuardTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/v1/concerts/../../../internal/reservations/1",
            "/api/v1/concerts/%2e%2e/%2E%2E/internal",
            "/api/v1/concerts/..;/..;/internal",
            "/api/v1/concerts/.%2e;x=1/internal",
            "/api/v1/concerts/./1",
            "/api/v1/concerts/..",
            "/api/v1/concerts/1%2F..%2F..%2Finternal",
            "/api/v1/concerts/1%5c..%5cinternal",
            "/api/v1/concerts/%252e%252e/internal",
            "/api/v1/concerts/%zz",
            "/api/v1/concerts/%00/schedules",
            "/api/v1/concerts/1%0d%0aX-Injected:%201/schedules",
            "/api/v1/concerts/%7f",
            "/api/v1/concerts/%c0%af/schedules",
            "/api/v1/concerts/%ff"})
    void refusesPathsAServiceWouldResolveElsewhere(String rawPath) {
        assertThat(PathTraversalGuard.isAmbiguous(rawPath)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/v1/concerts",
            "/api/v1/concerts/3/schedules/12/seats",
            "/api/v1/users/7/balance/charges",
            "/api/v1/concerts/a.b/..c/...",
            "/api/v1/concerts/%E6%97%A5%E6%9C%AC%E8%AA%9E/schedules",
            "/"})
    void letsOrdinaryPathsThrough(String rawPath) {
        assertThat(PathTraversalGuard.isAmbiguous(rawPath)).isFalse();
    }
}
