package dev.ticketing.localstack;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** STACK_REPLICAS and the instances' names and ports, as local-stack reads them. */
class TopologyTest {

    @Test
    void oneInstanceOfEachByDefaultOnTheServicesPorts() {
        Topology topology = new Topology(Map.of());
        assertThat(topology.instances()).extracting(Topology.Instance::name)
                .containsExactly("queue-service", "concert-service", "reservation-service", "payment-service", "gateway");
        assertThat(topology.instances()).extracting(Topology.Instance::port).containsExactly(8081, 8082, 8083, 8084, 8080);
        assertThat(topology.instances()).extracting(Topology.Instance::managementPort).containsExactly(9081, 9082, 9083, 9084, 9080);
        assertThat(topology.gatewayBehindProxy()).isFalse();
        assertThat(topology.publicPort("gateway")).isEqualTo(8080);
    }

    @Test
    void aNumberForEveryServiceAndCountsPerServiceOnTop() {
        Topology topology = new Topology(Map.of("STACK_REPLICAS", "2,queue-service=3,gateway=1"));
        assertThat(topology.instancesOf(Topology.service("queue-service"))).extracting(Topology.Instance::name)
                .containsExactly("queue-service-1", "queue-service-2", "queue-service-3");
        assertThat(topology.instancesOf(Topology.service("queue-service"))).extracting(Topology.Instance::port)
                .containsExactly(8081, 8181, 8281);
        assertThat(topology.instancesOf(Topology.service("concert-service"))).extracting(Topology.Instance::managementPort)
                .containsExactly(9082, 9182);
        assertThat(topology.instancesOf(Topology.service("gateway"))).extracting(Topology.Instance::name).containsExactly("gateway");
        assertThat(topology.gatewayBehindProxy()).isFalse();
    }

    @Test
    void severalGatewaysMoveUpAStepAndLeaveTheirPortToTheLoadBalancer() {
        Topology topology = new Topology(Map.of("STACK_REPLICAS", "gateway=2", "GATEWAY_PORT", "7000"));
        assertThat(topology.gatewayBehindProxy()).isTrue();
        assertThat(topology.publicPort("gateway")).isEqualTo(7000);
        assertThat(topology.instancesOf(Topology.service("gateway"))).extracting(Topology.Instance::port).containsExactly(7100, 7200);
        assertThat(topology.instancesOf(Topology.service("gateway"))).extracting(Topology.Instance::managementPort)
                .containsExactly(8000, 8100);
    }

    @Test
    void oneGatewayIsReachedOnItsOwnPortEvenWhenNamedPerInstance() {
        Topology topology = new Topology(Map.of("GATEWAY_PORT", "7000", "GATEWAY_PORT_1", "7500"));
        assertThat(topology.gatewayBehindProxy()).isFalse();
        assertThat(topology.publicPort("gateway")).isEqualTo(7500);
    }

    @Test
    void portsNamedPerInstanceWin() {
        Topology topology = new Topology(Map.of("STACK_REPLICAS", "2", "QUEUE_PORT_2", "12345", "QUEUE_MANAGEMENT_PORT_2", "12346"));
        Topology.Instance second = topology.instancesOf(Topology.service("queue-service")).get(1);
        assertThat(second.port()).isEqualTo(12345);
        assertThat(second.managementPort()).isEqualTo(12346);
    }

    @Test
    void refusesWhatItCannotRun() {
        assertThatThrownBy(() -> new Topology(Map.of("STACK_REPLICAS", "ticket-service=2")))
                .hasMessageContaining("ticket-service");
        assertThatThrownBy(() -> new Topology(Map.of("STACK_REPLICAS", "0"))).hasMessageContaining("between 1 and 9");
        assertThatThrownBy(() -> new Topology(Map.of("STACK_REPLICAS", "two"))).hasMessageContaining("not a count");
        assertThat(new Topology(Map.of("STACK_SERVICES", "gateway,queue-service")).services())
                .extracting(Topology.Service::module).isEqualTo(List.of("queue-service", "gateway"));
    }

    @Test
    void extraFlagsAreAddedToWhicheverFlagsApply() {
        Topology.Service gateway = Topology.service("gateway");
        assertThat(gateway.jvmFlags(Map.of("STACK_JVM_EXTRA_OPTS", "-XX:+UseCompactObjectHeaders")))
                .startsWith(Topology.JVM_COMMON.split(" ")).endsWith("-XX:+UseCompactObjectHeaders");
        assertThat(gateway.jvmFlags(Map.of("STACK_JVM_OPTS", "-Xmx1g", "STACK_JVM_EXTRA_OPTS", "-XX:+UseCompactObjectHeaders")))
                .containsExactly("-Xmx1g", "-XX:+UseCompactObjectHeaders");
        assertThat(gateway.jvmFlags(Map.of("STACK_JVM_OPTS", "-Xmx1g"))).containsExactly("-Xmx1g");
    }
}
