package dev.ticketing.gateway.edge;

import dev.ticketing.gateway.routing.SitePaths;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;

/**
 * What the gateway adds when it serves the purchase page ({@code static/index.html} and
 * {@code static/site/**}): {@code /} served as {@code /index.html}, so that HEAD works and both carry
 * {@code Last-Modified}; UTF-8 named on text; a revalidation on every load, since the file names carry
 * no version; and a Content-Security-Policy that lets the page run its own files and call the API
 * beside them, nothing else (no inline script, no other origin, no framing).
 */
final class SitePage {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private SitePage() {
    }

    static ServerWebExchange prepare(ServerWebExchange exchange) {
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        if (!SitePaths.isPage(path)) {
            return exchange;
        }
        exchange.getResponse().beforeCommit(() -> {
            HttpHeaders headers = exchange.getResponse().getHeaders();
            MediaType type = headers.getContentType();
            if (type != null && type.getCharset() == null && isText(type)) {
                headers.setContentType(new MediaType(type, StandardCharsets.UTF_8));
            }
            headers.setCacheControl("no-cache");
            headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "no-referrer");
            return Mono.empty();
        });
        if (path.value().equals("/")) {
            return exchange.mutate().request(request -> request.path("/index.html")).build();
        }
        return exchange;
    }

    private static boolean isText(MediaType type) {
        return type.getType().equals("text") || type.getSubtype().equals("javascript") || type.getSubtype().endsWith("+xml");
    }
}
