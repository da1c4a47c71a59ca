package dev.ticketing.gateway.routing;

import dev.ticketing.gateway.problem.ProblemException;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static dev.ticketing.gateway.routing.Protection.ADMITTED;
import static dev.ticketing.gateway.routing.Protection.IDENTIFIED;
import static dev.ticketing.gateway.routing.Protection.OPEN;
import static dev.ticketing.gateway.routing.PublicRoute.Body.JSON;
import static dev.ticketing.gateway.routing.PublicRoute.Body.NONE;
import static dev.ticketing.gateway.routing.PublicRoute.RateGroup.API;
import static dev.ticketing.gateway.routing.PublicRoute.RateGroup.JOIN;
import static dev.ticketing.gateway.routing.Upstream.CONCERT;
import static dev.ticketing.gateway.routing.Upstream.PAYMENT;
import static dev.ticketing.gateway.routing.Upstream.QUEUE;
import static dev.ticketing.gateway.routing.Upstream.RESERVATION;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

/**
 * The public API of DESIGN section 3, the one source of what the gateway answers: the 404s and
 * 405s, each route's protection and rate limit, and the routes forwarded to the services
 * ({@link PublicRoutes}). Anything not listed, such as {@code /internal/**}, operator paths and
 * {@code /actuator/**} on the main port, is a 404.
 */
@Component
public class RouteCatalogue {

    private static final List<PublicRoute> ROUTES = List.of(
            PublicRoute.of("Q1", POST, "/queue/tokens", OPEN, QUEUE, JSON, JOIN),
            PublicRoute.of("Q2", GET, "/queue/status", IDENTIFIED, QUEUE, NONE, API),
            PublicRoute.of("C1", GET, "/concerts", OPEN, CONCERT, NONE, API),
            PublicRoute.of("C2", GET, "/concerts/{concertId}/schedules", ADMITTED, CONCERT, NONE, API),
            PublicRoute.of("C3", GET, "/concerts/{concertId}/schedules/{scheduleId}/seats", ADMITTED, CONCERT, NONE, API),
            PublicRoute.of("R1", POST, "/reservations", ADMITTED, RESERVATION, JSON, API),
            PublicRoute.of("R2", GET, "/reservations/{reservationId}", IDENTIFIED, RESERVATION, NONE, API),
            PublicRoute.of("R3", DELETE, "/reservations/{reservationId}", IDENTIFIED, RESERVATION, NONE, API),
            PublicRoute.of("B1", GET, "/users/{userId}/balance", IDENTIFIED, PAYMENT, NONE, API),
            PublicRoute.of("B2", POST, "/users/{userId}/balance/charges", IDENTIFIED, PAYMENT, JSON, API),
            PublicRoute.of("B3", GET, "/users/{userId}/balance/history", IDENTIFIED, PAYMENT, NONE, API),
            PublicRoute.of("P1", POST, "/payments", IDENTIFIED, PAYMENT, JSON, API),
            PublicRoute.of("P2", GET, "/payments/{paymentId}", IDENTIFIED, PAYMENT, NONE, API),
            PublicRoute.of("P3", GET, "/users/{userId}/payments", IDENTIFIED, PAYMENT, NONE, API));

    public List<PublicRoute> routes() {
        return ROUTES;
    }

    /**
     * The route a request is for: 404 when no route has its path, 405 (with the methods that
     * path does allow) when routes have its path but not its method.
     */
    public PublicRoute resolve(HttpMethod method, PathContainer path) {
        Set<HttpMethod> allowed = new LinkedHashSet<>();
        for (PublicRoute route : ROUTES) {
            if (route.matches(path)) {
                if (route.method().equals(method)) {
                    return route;
                }
                allowed.add(route.method());
            }
        }
        throw allowed.isEmpty() ? ProblemException.notFound() : ProblemException.methodNotAllowed(allowed);
    }
}
