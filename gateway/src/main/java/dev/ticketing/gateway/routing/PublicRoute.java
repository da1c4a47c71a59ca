package dev.ticketing.gateway.routing;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * One row of the public API table: where it is, who may call it, and where it goes.
 *
 * @param id the row's name in DESIGN section 3 (Q1, C2, ...)
 * @param body whether the route takes a JSON body, so another content type is refused
 * @param rateGroup which rate limit applies
 */
public record PublicRoute(String id, HttpMethod method, PathPattern path, Protection protection,
                          Upstream upstream, Body body, RateGroup rateGroup) {

    static final String BASE_PATH = "/api/v1";
    private static final String ATTRIBUTE = PublicRoute.class.getName();

    static PublicRoute of(String id, HttpMethod method, String path, Protection protection,
                          Upstream upstream, Body body, RateGroup rateGroup) {
        PathPattern pattern = PathPatternParser.defaultInstance.parse(BASE_PATH + path);
        return new PublicRoute(id, method, pattern, protection, upstream, body, rateGroup);
    }

    /**
     * Records that the edge checks resolved the request to this route: the one attribute the
     * gateway's routing goes by ({@link PublicRoutes}), so a request that did not pass the edge
     * checks matches no route, and the path is matched once per request, not twice. Also names
     * the route's path template in the request's {@code http.server.requests} metric and span
     * (its {@code uri} tag), which would otherwise be {@code UNKNOWN} for every proxied request.
     */
    public void markResolved(ServerWebExchange exchange) {
        exchange.getAttributes().put(ATTRIBUTE, this);
        ServerRequestObservationContext.findCurrent(exchange.getAttributes())
                .ifPresent(context -> context.setPathPattern(path.getPatternString()));
    }

    boolean isResolvedFor(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE) == this;
    }

    boolean matches(PathContainer requestPath) {
        return path.matches(requestPath);
    }

    /**
     * Q2, the status poll: answered by the gateway from queue-service's batched poll answers
     * ({@code QueueStatusPolls}), not forwarded one by one, since polls are most of a sell-out's traffic.
     */
    public boolean isStatusPoll() {
        return id.equals("Q2");
    }

    public boolean takesJsonBody() {
        return body == Body.JSON;
    }

    public enum Body { NONE, JSON }

    public enum RateGroup {
        /** Joining the queue: limited per client address, since the caller has no token yet. */
        JOIN,
        /** Everything else: limited per token, or per client address without a valid one. */
        API
    }
}
