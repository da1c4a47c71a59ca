package dev.ticketing.messaging.autoconfigure;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.DelegatingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Flux;

import java.util.List;

/**
 * The instances that passed their last health check, or every known instance when none did (a load balancer's
 * "panic mode"): a round of checks that all time out on a saturated machine, or that has not finished yet when
 * the first requests come, must not turn every request away while the instances would answer it. A dead
 * instance in the full list is refused at connect and the call's retry goes to the next one. (The gateway has
 * the same class for its own load balancers: it shares no library with the services.)
 */
final class HealthyElseAll extends DelegatingServiceInstanceListSupplier {

    private final ServiceInstanceListSupplier all;

    HealthyElseAll(ServiceInstanceListSupplier healthChecked, ServiceInstanceListSupplier all) {
        super(healthChecked);
        this.all = all;
    }

    @Override
    public Flux<List<ServiceInstance>> get() {
        return delegate.get().switchMap(healthy -> healthy.isEmpty() ? all.get() : Flux.just(healthy));
    }
}
