package dev.ticketing.messaging.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.cloud.client.loadbalancer.LoadBalancerInterceptor;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * Clients for another service's {@code /internal/**} endpoints (DESIGN section 2): every attempt
 * bounded by a connect and a read timeout, so that retries and a circuit breaker around it keep
 * the whole call under its budget, and every attempt sent to one of the service's instances by Spring Cloud
 * LoadBalancer, round robin over those that passed their last health check
 * ({@link dev.ticketing.messaging.autoconfigure.InternalCallsAutoConfiguration}): a retry goes to the next one.
 */
public final class InternalClients {

    private static final Logger log = LoggerFactory.getLogger(InternalClients.class);

    private InternalClients() {
    }

    /**
     * @param serviceName the service as discovery knows it ({@code concert-service}); its instances are listed in
     *                    {@code spring.cloud.discovery.client.simple.instances.<serviceName>}
     */
    /**
     * Makes the service's load balancer and lets it check the instances once, so that the first calls after a start
     * do not wait for that (they did, and under load timed out: 113 payments refused at once in bench/scale.sh). Any
     * outcome is fine, the service need not be up yet; call it before the caller reports ready.
     */
    public static void warmUp(LoadBalancerClient loadBalancer, String serviceName) {
        try {
            ServiceInstance chosen = loadBalancer.choose(serviceName);
            log.info("Load balancer of {}: {}", serviceName, chosen == null ? "no instance yet" : "first instance " + chosen.getUri());
        } catch (RuntimeException e) {
            log.info("Load balancer of {} not warmed up: {}", serviceName, e.toString());
        }
    }

    public static RestClient create(RestClient.Builder builder, LoadBalancerClient loadBalancer, String serviceName,
                                    Duration connectTimeout, Duration readTimeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
        requests.setReadTimeout(readTimeout);
        return builder.baseUrl("http://" + serviceName)
                .requestFactory(requests)
                .requestInterceptor(new LoadBalancerInterceptor(loadBalancer))
                .build();
    }
}
