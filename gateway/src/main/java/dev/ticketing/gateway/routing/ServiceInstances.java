package dev.ticketing.gateway.routing;

import io.netty.channel.ChannelOption;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

import java.time.Duration;

/**
 * How a service's name ({@code lb://queue-service}, {@code http://queue-service} through the load-balanced
 * client) becomes one of its instances: Spring Cloud LoadBalancer, round robin over the instances that discovery
 * lists and that answered their last health check.
 * <p>
 * Discovery is a static list from configuration ({@code spring.cloud.discovery.client.simple.instances}): the
 * Kubernetes Service's address in a cluster (one entry, which kube-proxy spreads over the ready pods), every
 * instance's address in the local stack. The health check asks each instance's liveness on its own port
 * ({@code /livez}, {@code spring.cloud.loadbalancer.health-check}) every interval, with a client of its own
 * (no metrics, no spans), so that an instance that died stops receiving calls within about an interval; calls
 * that could not connect in that interval go to another instance (the routes' retry, {@link PublicRoutes}).
 * Liveness, not readiness: readiness includes the broker, and a broker outage must not take every instance out
 * of rotation while their outboxes absorb it.
 */
@Configuration(proxyBeanMethods = false)
@LoadBalancerClients(defaultConfiguration = ServiceInstances.PerService.class)
class ServiceInstances {

    /** The configuration of each service's load balancer (a child context per service name, made on first use). */
    static class PerService {

        @Bean
        ServiceInstanceListSupplier healthCheckedInstances(ConfigurableApplicationContext context) {
            HttpClient http = HttpClient.create()
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 500)
                    .responseTimeout(Duration.ofSeconds(1));
            WebClient healthChecks = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
            return ServiceInstanceListSupplier.builder()
                    .withDiscoveryClient()
                    .withHealthChecks(healthChecks)
                    .build(context);
        }
    }
}
