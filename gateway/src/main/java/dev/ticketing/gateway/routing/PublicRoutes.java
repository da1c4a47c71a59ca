package dev.ticketing.gateway.routing;

import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway's routes, one per catalogue row but the status poll (answered at the edge), built in code rather than listed in application.yml
 * so that what is forwarded and what the edge checks protect cannot drift apart. Paths are
 * forwarded unchanged; only the service address comes from configuration.
 */
@Configuration(proxyBeanMethods = false)
class PublicRoutes {

    @Bean
    RouteLocator publicRouteLocator(RouteLocatorBuilder builder, RouteCatalogue catalogue, ServiceAddresses addresses) {
        RouteLocatorBuilder.Builder routes = builder.routes();
        for (PublicRoute route : catalogue.routes()) {
            if (route.isStatusPoll()) {
                continue; // answered by the edge checks themselves, never forwarded
            }
            routes.route(route.id(), spec -> spec
                    .predicate(route::isResolvedFor)
                    .uri(addresses.of(route.upstream())));
        }
        return routes.build();
    }
}
