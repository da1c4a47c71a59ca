package dev.ticketing.gateway.edge;

import dev.ticketing.web.IdentityHeaders;
import dev.ticketing.gateway.admission.AdmissionCheck;
import dev.ticketing.gateway.admission.QueueJoins;
import dev.ticketing.gateway.admission.QueueStatusPolls;
import dev.ticketing.gateway.problem.ProblemException;
import dev.ticketing.gateway.ratelimit.RateLimiter;
import dev.ticketing.gateway.routing.Protection;
import dev.ticketing.gateway.routing.PublicRoute;
import dev.ticketing.gateway.routing.RouteCatalogue;
import dev.ticketing.gateway.routing.SitePaths;
import dev.ticketing.gateway.token.QueueToken;
import dev.ticketing.gateway.token.TokenVerifier;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The checks of DESIGN section 3 in its order, the first failing one answering: (1) route and
 * method, body size, content type; (2) rate limit; (3) token present; (4) token genuine and
 * unexpired; (5) on admitted routes, queue status; then (6) forward with the identity taken from
 * the token and nothing the client claimed, except status polls and plain joins, which are answered
 * here from queue-service's batched answers ({@link QueueStatusPolls}, {@link QueueJoins}). Runs before Spring Cloud Gateway picks a route, so
 * nothing reaches a service without passing here.
 */
@Component
class EdgeChecks implements WebFilter, Ordered {

    static final String QUEUE_TOKEN = "Queue-Token";
    static final String USER_ID = IdentityHeaders.USER_ID;
    static final String TOKEN_ID = IdentityHeaders.TOKEN_ID;

    private final RouteCatalogue catalogue;
    private final RateLimiter rateLimiter;
    private final TokenVerifier tokens;
    private final AdmissionCheck admission;
    private final QueueStatusPolls polls;
    private final QueueJoins joins;
    private final ApplicationContext publicServer;

    EdgeChecks(RouteCatalogue catalogue, RateLimiter rateLimiter, TokenVerifier tokens, AdmissionCheck admission,
               QueueStatusPolls polls, QueueJoins joins, ApplicationContext publicServer) {
        this.catalogue = catalogue;
        this.rateLimiter = rateLimiter;
        this.tokens = tokens;
        this.admission = admission;
        this.polls = polls;
        this.joins = joins;
        this.publicServer = publicServer;
    }

    @Override
    public int getOrder() {
        // Right after PathTraversalGuard.
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (isManagementServer(exchange, publicServer)) {
            return chain.filter(exchange);
        }
        return Mono.defer(() -> {
            ServerHttpRequest request = exchange.getRequest();
            if (SitePaths.matches(request.getMethod(), request.getPath().pathWithinApplication())) {
                // The page and the API documentation: static, no token, limited per address only.
                rateLimiter.acquireForAddress(exchange);
                return chain.filter(SitePage.prepare(forward(exchange, null, true)));
            }
            PublicRoute route = catalogue.resolve(request.getMethod(), request.getPath().pathWithinApplication());
            route.markResolved(exchange);
            return RequestBodies.check(route, exchange).flatMap(held -> route.protection() == Protection.OPEN
                    ? open(route, held, chain)
                    : protect(route, held, chain));
        });
    }

    /**
     * The management server (its own port, a child context) inherits this filter; it is left alone.
     * Anything else, including a request with no context at all, gets every check: fail closed.
     */
    static boolean isManagementServer(ServerWebExchange exchange, ApplicationContext publicServer) {
        ApplicationContext context = exchange.getApplicationContext();
        return context != null && context != publicServer && context.getParent() == publicServer;
    }

    private Mono<Void> open(PublicRoute route, ServerWebExchange exchange, WebFilterChain chain) {
        if (route.rateGroup() == PublicRoute.RateGroup.JOIN) {
            rateLimiter.acquireForJoin(exchange);
            OptionalLong userId = joins.plainJoin(RequestBodies.held(exchange));
            if (userId.isPresent()) {
                return joins.answer(userId.getAsLong(), exchange); // batched; any other body is forwarded
            }
        } else {
            rateLimiter.acquireForAddress(exchange);
        }
        // The token is ignored here, and not forwarded, so no service takes an unchecked one for identity.
        return chain.filter(forward(exchange, null, true));
    }

    private Mono<Void> protect(PublicRoute route, ServerWebExchange exchange, WebFilterChain chain) {
        String compact = exchange.getRequest().getHeaders().getFirst(QUEUE_TOKEN);
        boolean present = compact != null && !compact.isBlank();
        String text = present ? compact.trim() : null;
        // A token this instance has not checked before costs a signature check (about 2 ms of CPU): an address
        // whose checks keep failing (forged tokens) is refused here first, before the check.
        boolean checking = present && tokens.needsCheck(text);
        if (checking) {
            rateLimiter.requireTokenCheckAllowance(exchange);
        }
        // Verified before the rate limit only to pick its key (per token when genuine); refusals
        // still come in DESIGN's order: 429 before 401.
        Optional<QueueToken> verified = present ? tokens.verify(text) : Optional.empty();
        if (checking && verified.isEmpty()) {
            rateLimiter.countFailedTokenCheck(exchange);
        }
        verified.ifPresentOrElse(token -> rateLimiter.acquireForToken(token.tokenId()),
                () -> rateLimiter.acquireForAddress(exchange));
        if (!present) {
            throw ProblemException.tokenMissing();
        }
        QueueToken token = verified.orElseThrow(ProblemException::tokenInvalid);
        if (route.isStatusPoll()) {
            return polls.answer(token, exchange); // identified: no admission check, and not proxied
        }
        Mono<Void> admitted = route.protection() == Protection.ADMITTED ? admission.requireActive(token) : Mono.empty();
        return admitted.then(Mono.defer(() -> chain.filter(forward(exchange, token, false))));
    }

    /** Identity headers from the token only; whatever the client sent under those names is dropped. */
    private static ServerWebExchange forward(ServerWebExchange exchange, QueueToken token, boolean dropToken) {
        return exchange.mutate().request(request -> request.headers(headers -> {
            headers.remove(USER_ID);
            headers.remove(TOKEN_ID);
            if (dropToken) {
                headers.remove(QUEUE_TOKEN);
            }
            if (token != null) {
                headers.set(USER_ID, Long.toString(token.userId()));
                headers.set(TOKEN_ID, token.tokenId().toString());
            }
        })).build();
    }
}
