package dev.ticketing.gateway.routing;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.util.List;
import java.util.stream.Stream;

/**
 * What the gateway serves beside the public API: the purchase page and the API documentation
 * (Swagger UI, its configuration, and the services' OpenAPI documents, which
 * {@link ApiDocumentRoutes} fetches from them). Read-only (GET and HEAD), no token; everything else
 * outside the public API stays a 404.
 */
public final class SitePaths {

    /** The purchase page's own files. */
    private static final List<PathPattern> PAGE = parse("/", "/index.html", "/favicon.ico", "/site/**");

    private static final List<PathPattern> DOCUMENTATION = parse("/swagger-ui.html", "/swagger-ui/**", "/webjars/**",
            "/v3/api-docs/swagger-config", ApiDocumentRoutes.PREFIX + "*");

    private static final List<PathPattern> PATTERNS = Stream.concat(PAGE.stream(), DOCUMENTATION.stream()).toList();

    private SitePaths() {
    }

    public static boolean matches(HttpMethod method, PathContainer path) {
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            return false;
        }
        for (PathPattern pattern : PATTERNS) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }

    private static List<PathPattern> parse(String... patterns) {
        return Stream.of(patterns).map(PathPatternParser.defaultInstance::parse).toList();
    }

    /** The purchase page's own files, a part of what {@link #matches} lets through (the documentation has needs of its own). */
    public static boolean isPage(PathContainer path) {
        return PAGE.stream().anyMatch(pattern -> pattern.matches(path));
    }
}
