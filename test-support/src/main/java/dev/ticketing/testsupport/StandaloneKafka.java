package dev.ticketing.testsupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * A single-node KRaft broker in its own process, for tests that must stop the broker and start it
 * again with its data intact (the in-process test broker cannot be restarted). The broker runs from
 * this JVM's own class path, which already holds the Kafka server classes of spring-kafka-test
 * (directly, or nested in local-stack's executable jar).
 */
public final class StandaloneKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StandaloneKafka.class);

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final Path properties;
    private Process process;

    private StandaloneKafka(Path dir, int port, int controllerPort) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.properties = dir.resolve("server.properties");
    }

    /** Formats a fresh log directory and starts the broker; returns once it answers. */
    public static StandaloneKafka start() {
        try {
            Path dir = Files.createTempDirectory("standalone-kafka-");
            StandaloneKafka kafka = new StandaloneKafka(dir, FreePorts.next(), FreePorts.next());
            kafka.writeProperties();
            kafka.format();
            kafka.startProcess();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Kills the broker process (SIGKILL: no clean shutdown), keeping its data. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        log.info("Standalone Kafka on port {} stopped", port);
    }

    /** Starts the broker again on the same port and data. */
    public void restart() {
        stop();
        startProcess();
    }

    @Override
    public void close() {
        stop();
        TempDirectories.delete(dir);
    }

    private void writeProperties() throws IOException {
        String logs = dir.resolve("logs").toString();
        Files.writeString(properties, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + logs,
                "num.partitions=6",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=6",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "") + "\n");
    }

    private void format() {
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        int exit = run(List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", properties.toString()),
                dir.resolve("format.log"), Duration.ofSeconds(60));
        if (exit != 0) {
            throw new IllegalStateException("Formatting the standalone broker's storage failed (exit " + exit
                    + "), see " + dir.resolve("format.log"));
        }
    }

    private void startProcess() {
        try {
            ProcessBuilder pb = new ProcessBuilder(command(List.of("kafka.Kafka", properties.toString())));
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()));
            long started = System.nanoTime();
            process = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "standalone-kafka-kill"));
            awaitReady(Duration.ofSeconds(60));
            log.info("Standalone Kafka ready at {} after {} ms (log {})", bootstrapServers(),
                    (System.nanoTime() - started) / 1_000_000, dir.resolve("broker.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Standalone broker exited with " + process.exitValue()
                        + ", see " + dir.resolve("broker.log"));
            }
            try (Admin admin = Admin.create(config)) {
                admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                return;
            } catch (Exception notYet) {
                // not listening yet; ask again
            }
        }
        throw new IllegalStateException("Standalone broker not ready after " + timeout + ", see " + dir.resolve("broker.log"));
    }

    private int run(List<String> mainAndArgs, Path logFile, Duration timeout) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command(mainAndArgs));
            pb.redirectErrorStream(true);
            pb.redirectOutput(logFile.toFile());
            Process p = pb.start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static List<String> command(List<String> mainAndArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx384m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-cp");
        String classPath = classPath();
        cmd.add(classPath);
        if (isSpringBootJar(classPath)) {
            // Run from local-stack's executable jar (./run.sh): the Kafka classes are nested jars inside it,
            // which Spring Boot's PropertiesLauncher can load for any main class.
            cmd.add("-Dloader.main=" + mainAndArgs.get(0));
            cmd.add("org.springframework.boot.loader.launch.PropertiesLauncher");
            cmd.addAll(mainAndArgs.subList(1, mainAndArgs.size()));
        } else {
            cmd.addAll(mainAndArgs);
        }
        return cmd;
    }

    private static boolean isSpringBootJar(String classPath) {
        if (classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(classPath)) {
            Manifest manifest = jar.getManifest();
            return manifest != null && manifest.getMainAttributes().getValue("Spring-Boot-Classes") != null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * This JVM's class path, with Surefire's manifest-only jar expanded, so the child sees the
     * same Kafka server classes.
     */
    static String classPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(entry);
            if (entry.endsWith(".jar") && entry.contains("surefire")) {
                entries.addAll(manifestClassPath(Path.of(entry)));
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static List<String> manifestClassPath(Path jar) {
        try (JarFile jf = new JarFile(jar.toFile())) {
            Manifest manifest = jf.getManifest();
            String cp = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (cp == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (String url : cp.trim().split("\\s+")) {
                out.add(Path.of(java.net.URI.create(url.startsWith("file:") ? url : jar.getParent().toUri().resolve(url).toString())).toString());
            }
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

}
