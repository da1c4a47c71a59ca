package dev.ticketing.localstack;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The load balancer's configuration, checked by HAProxy itself where it is installed. */
class FrontProxyTest {

    @Test
    void writesAConfigurationHaproxyAccepts(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(FrontProxy.available(Map.of()), "HAProxy is not installed");
        Topology topology = new Topology(Map.of("STACK_REPLICAS", "gateway=2", "GATEWAY_PORT", "18080"));
        Path errorPage = dir.resolve("503.http");
        Files.writeString(errorPage, FrontProxy.UNAVAILABLE);
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, FrontProxy.config(18080, topology.instancesOf(Topology.service("gateway")), errorPage));

        Process check = new ProcessBuilder(FrontProxy.binary(Map.of()), "-c", "-f", config.toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(output).isZero();
        assertThat(Files.readString(config))
                .contains("server gateway-1 127.0.0.1:18180 check port 19080")
                .contains("server gateway-2 127.0.0.1:18280 check port 19180")
                .contains("http-request set-header X-Forwarded-For %[src]")
                .contains("retry-on conn-failure empty-response")
                .contains("http-request disable-l7-retry if METH_POST !{ req.hdr(Idempotency-Key) -m found }");
    }
}
