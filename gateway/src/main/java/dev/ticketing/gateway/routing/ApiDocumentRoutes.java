package dev.ticketing.gateway.routing;

import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * The services' OpenAPI documents, read through the gateway by its Swagger UI: {@code GET
 * /api-docs/queue-service} is queue-service's {@code /v3/api-docs}, and so on for each service.
 * Not under {@code /v3/api-docs/}: springdoc maps paths there in the gateway itself, and its
 * handlers are asked before any gateway route.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentRoutes {

    static final String PREFIX = "/api-docs/";
    private static final String SERVICE_DOCUMENT = "/v3/api-docs";

    @Bean
    RouteLocator apiDocumentRouteLocator(RouteLocatorBuilder builder) {
        RouteLocatorBuilder.Builder routes = builder.routes();
        for (Upstream upstream : Upstream.values()) {
            routes.route("api-docs-" + upstream.serviceName(), spec -> spec
                    .method(HttpMethod.GET, HttpMethod.HEAD).and().path(PREFIX + upstream.serviceName())
                    .filters(filters -> filters.setPath(SERVICE_DOCUMENT).retry(PublicRoutes::onlyWhereNotConnected))
                    .uri(upstream.uri()));
        }
        return routes.build();
    }
}
