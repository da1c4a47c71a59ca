package dev.ticketing.localstack;

import dev.ticketing.localstack.Topology.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When a service's AOT cache may be used, and when it is stale and must be made again. */
class AotCachesTest {

    private static final Service GATEWAY = Topology.service(Topology.GATEWAY);

    @TempDir
    Path home;

    @Test
    void aCacheIsUsedOnlyForTheJarJvmAndFlagsItWasMadeWith() throws Exception {
        Path jar = gatewayJar(new byte[] {1, 2, 3});
        AotCaches caches = new AotCaches(Map.of(), home, home);
        assertThat(caches.stale(GATEWAY)).as("no cache yet").isTrue();

        Files.createDirectories(caches.cache(GATEWAY).getParent());
        Files.write(caches.cache(GATEWAY), new byte[] {9});
        assertThat(caches.stale(GATEWAY)).as("a cache without a stamp: not known to fit").isTrue();
        caches.commit(GATEWAY, home.resolve("training.log"));
        assertThat(caches.stale(GATEWAY)).as("just made").isFalse();
        assertThat(caches.jarArguments(GATEWAY)).anyMatch(a -> a.endsWith(caches.cache(GATEWAY).toString()));

        Files.setLastModifiedTime(jar, Files.getLastModifiedTime(jar)); // a touch alone changes nothing
        assertThat(caches.stale(GATEWAY)).isFalse();
        assertThat(new AotCaches(Map.of("STACK_JVM_OPTS_GATEWAY", "-XX:+UseSerialGC -Xmx64m"), home, home).stale(GATEWAY))
                .as("other JVM flags").isTrue();
        Files.write(jar, new byte[] {1, 2, 4});
        assertThat(new AotCaches(Map.of(), home, home).stale(GATEWAY)).as("another jar of the same size, at the next start").isTrue();
    }

    @Test
    void aTrainingThatLeftNoCacheFailsSayingWhereToLookAndIsNotRepeatedUntilSomethingChanges() throws Exception {
        Path jar = gatewayJar(new byte[] {1, 2, 3});
        AotCaches caches = new AotCaches(Map.of(), home, home);
        Files.createDirectories(caches.cache(GATEWAY).getParent());
        assertThat(caches.needsTraining(GATEWAY)).isTrue();
        assertThatThrownBy(() -> caches.commit(GATEWAY, home.resolve("gateway-training.log")))
                .hasMessageContaining("gateway").hasMessageContaining("gateway-training.log");
        assertThat(caches.stale(GATEWAY)).as("no cache to use").isTrue();
        assertThat(caches.needsTraining(GATEWAY)).as("the same training would fail again").isFalse();
        assertThat(new AotCaches(Map.of("STACK_JVM_EXTRA_OPTS", "-Xlog:gc"), home, home).needsTraining(GATEWAY))
                .as("other flags: worth another try").isTrue();
        Files.write(jar, new byte[] {1, 2, 4});
        assertThat(new AotCaches(Map.of(), home, home).needsTraining(GATEWAY)).as("a new build: worth another try").isTrue();
    }

    @Test
    void onByDefaultFromJava25AndAlwaysAsAsked() {
        assertThat(AotCaches.wanted(Map.of())).isEqualTo(Runtime.version().feature() >= 25);
        assertThat(AotCaches.wanted(Map.of("STACK_AOT", "false"))).isFalse();
        assertThat(AotCaches.wanted(Map.of("STACK_AOT", "true"))).isTrue();
    }

    private Path gatewayJar(byte[] content) throws Exception {
        Path jar = home.resolve("gateway/target/gateway.jar");
        Files.createDirectories(jar.getParent());
        return Files.write(jar, content);
    }
}
