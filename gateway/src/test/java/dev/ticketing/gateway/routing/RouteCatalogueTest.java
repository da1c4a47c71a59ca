package dev.ticketing.gateway.routing;

import dev.ticketing.gateway.problem.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouteCatalogueTest {

    private final RouteCatalogue catalogue = new RouteCatalogue();

    /** DESIGN section 3's table, written out again so that a change to the catalogue is a visible change to this test. */
    @ParameterizedTest
    @CsvSource({
            "Q1, POST,   /api/v1/queue/tokens,                      OPEN,       QUEUE,       true",
            "Q2, GET,    /api/v1/queue/status,                      IDENTIFIED, QUEUE,       false",
            "C1, GET,    /api/v1/concerts,                          OPEN,       CONCERT,     false",
            "C2, GET,    /api/v1/concerts/3/schedules,              ADMITTED,   CONCERT,     false",
            "C3, GET,    /api/v1/concerts/3/schedules/12/seats,     ADMITTED,   CONCERT,     false",
            "R1, POST,   /api/v1/reservations,                      ADMITTED,   RESERVATION, true",
            "R2, GET,    /api/v1/reservations/42,                   IDENTIFIED, RESERVATION, false",
            "R3, DELETE, /api/v1/reservations/42,                   IDENTIFIED, RESERVATION, false",
            "B1, GET,    /api/v1/users/7/balance,                   IDENTIFIED, PAYMENT,     false",
            "B2, POST,   /api/v1/users/7/balance/charges,           IDENTIFIED, PAYMENT,     true",
            "B3, GET,    /api/v1/users/7/balance/history,           IDENTIFIED, PAYMENT,     false",
            "P1, POST,   /api/v1/payments,                          IDENTIFIED, PAYMENT,     true",
            "P2, GET,    /api/v1/payments/5,                        IDENTIFIED, PAYMENT,     false",
            "P3, GET,    /api/v1/users/7/payments,                  IDENTIFIED, PAYMENT,     false"})
    void resolvesEachPublicRouteWithItsProtection(String id, String method, String path, Protection protection,
                                                  Upstream upstream, boolean json) {
        PublicRoute route = catalogue.resolve(HttpMethod.valueOf(method), PathContainer.parsePath(path));

        assertThat(route.id()).isEqualTo(id);
        assertThat(route.protection()).isEqualTo(protection);
        assertThat(route.upstream()).isEqualTo(upstream);
        assertThat(route.takesJsonBody()).isEqualTo(json);
        assertThat(route.rateGroup()).isEqualTo(id.equals("Q1") ? PublicRoute.RateGroup.JOIN : PublicRoute.RateGroup.API);
    }

    @Test
    void listsFourteenRoutes() {
        assertThat(catalogue.routes()).extracting(PublicRoute::id).doesNotHaveDuplicates().hasSize(14);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/internal/tokens/1", "/api/v1/queue/admin/pause", "/actuator/health", "/api/v1",
            "/api/v1/concerts/", "/api/v1/concerts/3", "/api/v1/users/7", "/api/v1/reservations/42/confirm"})
    void findsNoRouteOutsideThePublicApi(String path) {
        assertThatThrownBy(() -> catalogue.resolve(HttpMethod.GET, PathContainer.parsePath(path)))
                .isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.status()).isEqualTo(HttpStatus.NOT_FOUND);
                    assertThat(problem.code()).isEqualTo(dev.ticketing.web.ProblemCode.NOT_FOUND);
                });
    }

    @Test
    void namesTheAllowedMethodsForAKnownPathAndAnotherMethod() {
        assertThatThrownBy(() -> catalogue.resolve(HttpMethod.PATCH, PathContainer.parsePath("/api/v1/reservations/42")))
                .isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.status()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
                    assertThat(problem.headers().getAllow()).containsExactly(HttpMethod.GET, HttpMethod.DELETE);
                    assertThat(problem.headers().getFirst(HttpHeaders.ALLOW)).isEqualTo("GET,DELETE");
                });
    }
}
