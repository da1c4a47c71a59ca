package dev.ticketing.gateway.routing;

import org.springframework.cloud.gateway.filter.factory.RetryGatewayFilterFactory;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.net.ConnectException;

/**
 * The gateway's routes, one per catalogue row but the status poll (answered at the edge), built in code rather than listed in application.yml
 * so that what is forwarded and what the edge checks protect cannot drift apart. Paths are
 * forwarded unchanged to one instance of the route's service ({@link ServiceInstances}).
 * <p>
 * A request whose connection to an instance could not be made (refused, or not made within the connect
 * timeout) never reached it, whatever its method: it goes to the next instance, twice at most. Nothing else is
 * retried: a request that reached an instance may have been applied there.
 */
@Configuration(proxyBeanMethods = false)
class PublicRoutes {

    @Bean
    RouteLocator publicRouteLocator(RouteLocatorBuilder builder, RouteCatalogue catalogue) {
        RouteLocatorBuilder.Builder routes = builder.routes();
        for (PublicRoute route : catalogue.routes()) {
            if (route.isStatusPoll()) {
                continue; // answered by the edge checks themselves, never forwarded
            }
            routes.route(route.id(), spec -> spec
                    .predicate(route::isResolvedFor)
                    .filters(filters -> filters.retry(PublicRoutes::onlyWhereNotConnected))
                    .uri(route.upstream().uri()));
        }
        return routes.build();
    }

    /** Retries on another instance a request that could not connect, and nothing else. */
    static void onlyWhereNotConnected(RetryGatewayFilterFactory.RetryConfig retry) {
        retry.setRetries(2)
                .allMethods()
                .setSeries()
                .setExceptions(ConnectException.class);
    }
}
