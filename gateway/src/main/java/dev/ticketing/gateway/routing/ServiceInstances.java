package dev.ticketing.gateway.routing;

import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.reactive.ReactiveLoadBalancer;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
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
 * When no instance passed its last check, every known one is used ({@link HealthyElseAll}).
 * Liveness, not readiness: readiness includes the broker, and a broker outage must not take every instance out
 * of rotation while their outboxes absorb it.
 */
@Configuration(proxyBeanMethods = false)
@LoadBalancerClients(defaultConfiguration = ServiceInstances.PerService.class)
class ServiceInstances {

    private static final Logger log = LoggerFactory.getLogger(ServiceInstances.class);

    /** The configuration of each service's load balancer (a child context per service name, made on first use). */
    static class PerService {

        @Bean
        ServiceInstanceListSupplier healthCheckedInstances(ConfigurableApplicationContext context) {
            HttpClient http = HttpClient.create()
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 500)
                    .responseTimeout(Duration.ofSeconds(1));
            WebClient healthChecks = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
            ServiceInstanceListSupplier all = ServiceInstanceListSupplier.builder().withDiscoveryClient().build(context);
            return new HealthyElseAll(ServiceInstanceListSupplier.builder()
                    .withBase(all)
                    .withHealthChecks(healthChecks)
                    .build(context), all);
        }
    }

    /**
     * Each service's load balancer made, and its instances checked once, before the gateway reports ready: made
     * lazily, the first requests to a service waited for a child context and a round of health checks.
     */
    @EventListener(ApplicationReadyEvent.class)
    void warmUp(ApplicationReadyEvent ready) {
        LoadBalancerClientFactory balancers = ready.getApplicationContext().getBean(LoadBalancerClientFactory.class);
        for (Upstream upstream : Upstream.values()) {
            try {
                ReactiveLoadBalancer<ServiceInstance> balancer = balancers.getInstance(upstream.serviceName());
                Response<ServiceInstance> chosen = Mono.from(balancer.choose()).block(Duration.ofSeconds(3));
                log.info("Load balancer of {}: {}", upstream.serviceName(),
                        chosen != null && chosen.hasServer() ? "first instance " + chosen.getServer().getUri() : "no instance yet");
            } catch (RuntimeException e) {
                log.info("Load balancer of {} not warmed up: {}", upstream.serviceName(), e.toString());
            }
        }
    }
}
