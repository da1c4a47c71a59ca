package dev.ticketing.messaging.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * How a service that calls another one ({@link dev.ticketing.messaging.web.InternalClients}) finds its instances:
 * Spring Cloud LoadBalancer, round robin over the instances that discovery lists and that answered their last
 * health check. Discovery is a static list from configuration
 * ({@code spring.cloud.discovery.client.simple.instances}): the Kubernetes Service's address in a cluster, every
 * instance's address in the local stack. The health check asks each instance's liveness on its own port
 * ({@code /livez}; path and interval under {@code spring.cloud.loadbalancer.health-check}) with a plain client of
 * its own (no metrics, no spans); when none passed, every known instance is used ({@link HealthyElseAll}). Only in
 * services that have Spring Cloud LoadBalancer, those that call another.
 */
@AutoConfiguration
@ConditionalOnClass(LoadBalancerClient.class)
@LoadBalancerClients(defaultConfiguration = InternalCallsAutoConfiguration.PerService.class)
public class InternalCallsAutoConfiguration {

    /**
     * {@code false} lists every configured instance whatever its health, leaving a dead one to the call's retry and
     * circuit breaker: for tests that stop and start an instance and must not wait for a health check to see it back.
     */
    static final String HEALTH_CHECKS = "ticketing.internal-calls.health-checks";

    /** The configuration of each called service's load balancer (a child context per service name, made on first use). */
    static class PerService {

        @Bean
        ServiceInstanceListSupplier healthCheckedInstances(ConfigurableApplicationContext context) {
            if (!context.getEnvironment().getProperty(HEALTH_CHECKS, Boolean.class, true)) {
                return ServiceInstanceListSupplier.builder().withBlockingDiscoveryClient().build(context);
            }
            JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
                    HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build());
            requests.setReadTimeout(Duration.ofSeconds(1));
            RestClient healthChecks = RestClient.builder().requestFactory(requests).build();
            ServiceInstanceListSupplier all = ServiceInstanceListSupplier.builder().withBlockingDiscoveryClient().build(context);
            return new HealthyElseAll(ServiceInstanceListSupplier.builder()
                    .withBase(all)
                    .withBlockingHealthChecks(healthChecks)
                    .build(context), all);
        }
    }
}
