package dev.ticketing.gateway.routing;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Answers 404 for a path that a service would resolve to somewhere other than where the gateway
 * routed it. Routes match the raw path and forward it as it came, and Tomcat resolves
 * {@code /api/v1/concerts/../../../internal/x} to {@code /internal/x}: without this guard any route
 * would reach {@code /internal/**}. Refused: dot segments, also percent-encoded or followed by path
 * parameters ({@code ..;}), encoded slashes, backslashes and double encoding. Also refused: what
 * Tomcat itself would refuse with an HTML page instead of a problem: control characters
 * ({@code %00}) and bytes that are not UTF-8.
 */
@Component
class PathTraversalGuard implements WebFilter, Ordered {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (isAmbiguous(exchange.getRequest().getURI().getRawPath())) {
            return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND));
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1; // right after the in-flight limit (edge.InFlightLimit)
    }

    static boolean isAmbiguous(String rawPath) {
        if (rawPath.toLowerCase(Locale.ROOT).contains("%2f")) {
            return true;
        }
        String path;
        try {
            path = UriUtils.decode(rawPath, StandardCharsets.UTF_8);
            // UriUtils replaces bytes that are not UTF-8; decode strictly to see them.
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(UriUtils.decode(rawPath, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1)));
        } catch (IllegalArgumentException | CharacterCodingException malformed) {
            return true;
        }
        if (path.indexOf('\\') >= 0 || path.indexOf('%') >= 0 || path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return true;
        }
        for (String segment : path.split("/", -1)) {
            int parameters = segment.indexOf(';');
            String name = parameters < 0 ? segment : segment.substring(0, parameters);
            if (name.equals(".") || name.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
