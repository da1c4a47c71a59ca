package dev.ticketing.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads docker-compose.yml, the Dockerfile, .dockerignore and the MySQL init script, and holds them to
 * what each service's application.yml says (through {@link ServiceConfiguration}): nothing runs, so a
 * renamed variable, a moved port or a missing schema fails here rather than on {@code docker compose up}.
 */
class DockerComposeTest {

    private static final Path ROOT = ServiceConfiguration.repositoryRoot();
    private static final String MYSQL = "mysql";
    private static final String KAFKA = "kafka";
    private static final String GATEWAY = "gateway";
    private static final String MYSQL_INIT_DIRECTORY = "/docker-entrypoint-initdb.d";
    private static final Pattern URL = Pattern.compile("http://([a-z0-9-]+):(\\d+)/?");
    private static final Pattern COMPOSE_VARIABLE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z0-9_]+)(?::?-([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    private static Map<String, Object> compose;
    private static Map<String, Map<String, Object>> services;
    private static Dockerfile dockerfile;
    private static List<String> sqlStatements;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() {
        compose = new Yaml().load(read(ROOT.resolve("docker-compose.yml")));
        assertThat(compose).as("docker-compose.yml is a YAML mapping").isNotNull();
        assertThat(compose.get("services")).as("docker-compose.yml has a services mapping").isInstanceOf(Map.class);
        services = (Map<String, Map<String, Object>>) compose.get("services");
        dockerfile = Dockerfile.parse(read(ROOT.resolve("Dockerfile")));
        sqlStatements = sqlStatements(read(ROOT.resolve("docker/mysql/init/01-schemas.sql")));
    }

    static Stream<String> deployables() {
        return ServiceConfiguration.SERVICES.stream();
    }

    static Stream<String> servicesWithDatabase() {
        return ServiceConfiguration.SERVICES_WITH_DATABASE.stream();
    }

    static Stream<String> allComposeServices() {
        return services.keySet().stream();
    }

    // ---------------------------------------------------------------- presence and build

    @Test
    void composeDefinesEveryServiceAndTheInfrastructure() {
        assertThat(services).as("compose services").containsKeys(MYSQL, KAFKA);
        assertThat(services).as("compose services").containsKeys(ServiceConfiguration.SERVICES.toArray(String[]::new));
    }

    @ParameterizedTest
    @MethodSource("deployables")
    void serviceIsBuiltFromTheRepositoryDockerfileWithItsModule(String module) {
        Map<String, Object> build = map(service(module).get("build"), module + ".build");
        Path context = ROOT.resolve(String.valueOf(build.getOrDefault("context", "."))).normalize();
        assertThat(context).as("%s is built with the whole reactor as context (Maven reads every module's pom)", module)
                .isEqualTo(ROOT.normalize());
        Path file = context.resolve(String.valueOf(build.getOrDefault("dockerfile", "Dockerfile"))).normalize();
        assertThat(file).as("%s's Dockerfile", module).isEqualTo(ROOT.resolve("Dockerfile").normalize()).isRegularFile();
        assertThat(buildArgs(module)).as("%s's build args name its module", module).containsEntry("SERVICE", module);
    }

    @Test
    void dockerfileBuildsTheReactorOnceAndEachImageTakesTheModuleNamedByItsArgument() {
        Dockerfile.Stage build = dockerfile.stageRunning("mvnw");
        assertThat(build.image()).as("build stage image: the JDK the image runs").startsWith("eclipse-temurin:25-jdk");
        assertThat(build.args()).as("the build stage takes no build argument, so compose's five image builds are one "
                + "stage to BuildKit, run once").isEmpty();
        String mvnw = build.runs().stream().filter(r -> r.contains("mvnw")).findFirst().orElseThrow();
        Matcher modules = Pattern.compile("-pl\\s+(\\S+)").matcher(mvnw);
        assertThat(modules.find()).as("the Maven wrapper names the modules it builds").isTrue();
        assertThat(List.of(modules.group(1).split(","))).as("the reactor build makes every deployable module's jar")
                .containsExactlyInAnyOrderElementsOf(deployables().toList());
        assertThat(mvnw).containsPattern("(^|\\s)-am(\\s|$)").contains("package")
                .contains("--mount=type=cache,target=/root/.m2");

        Dockerfile.Stage jar = dockerfile.stageRunning("jarmode");
        assertThat(jar.args()).as("the stage that takes one module's jar declares ARG SERVICE").contains("SERVICE");
        String extract = jar.runs().stream().filter(r -> r.contains("jarmode")).findFirst().orElseThrow();
        assertThat(extract).as("the jar taken is the module's packaged jar, from the reactor build")
                .contains("from=build")
                .containsPattern("\"?\\$\\{SERVICE}/target/\\$\\{SERVICE}\\.jar\"?");
        assertThat(extract).as("layered extraction to plain jars (the AOT cache holds class-path classes, not those of Boot's launcher)")
                .contains("-Djarmode=tools").contains("extract").contains("--layers").doesNotContain("--launcher");
    }

    @ParameterizedTest
    @MethodSource("deployables")
    void modulePackagesTheJarTheDockerfileCopies(String module) {
        String pom = read(ROOT.resolve(module).resolve("pom.xml"));
        Matcher artifactId = Pattern.compile("<artifactId>([^<]+)</artifactId>")
                .matcher(pom.substring(pom.indexOf("</parent>") + 1));
        assertThat(artifactId.find() ? artifactId.group(1) : null)
                .as("%s/pom.xml names the artifact after its directory", module).isEqualTo(module);
        // The back-end services inherit the jar's name from service-parent; the gateway sets it itself.
        String build = pom.contains("<artifactId>service-parent</artifactId>")
                ? read(ROOT.resolve("service-parent").resolve("pom.xml")) : pom;
        assertThat(build).as("%s packages target/%s.jar (the Dockerfile copies ${SERVICE}/target/${SERVICE}.jar)", module, module)
                .contains("<finalName>${project.artifactId}</finalName>");
    }

    @Test
    void runtimeImageIsAJreRunningTheExtractedLayersAsNonRoot() {
        Dockerfile.Stage runtime = dockerfile.lastStage();
        assertThat(dockerfile.stages()).as("a multi-stage build").hasSizeGreaterThanOrEqualTo(2);
        assertThat(runtime.image()).as("runtime image: Java 25").startsWith("eclipse-temurin:25-jre");
        assertThat(runtime.user()).as("runtime stage USER").isPresent();
        String uid = runtime.user().orElseThrow().split(":")[0];
        assertThat(uid).as("USER is a numeric uid (runAsNonRoot can only verify a number)").matches("\\d+");
        assertThat(Integer.parseInt(uid)).as("USER is not root").isPositive();
        assertThat(runtime.copiesFrom()).as("the four layers, least changing first")
                .containsSubsequence("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
        assertThat(runtime.entrypoint()).as("ENTRYPOINT starts the extracted application with the image's AOT cache")
                .contains("\"-XX:AOTCache=app.aot\"").contains("\"-jar\", \"app.jar\"");
        String training = runtime.runs().stream().filter(r -> r.contains("AOTCacheOutput")).findFirst()
                .orElseGet(() -> fail("no RUN of the runtime stage makes the AOT cache"));
        assertThat(training).as("the cache is made by a run of the same jar in the same stage, without a database or broker")
                .contains("-XX:AOTCacheOutput=app.aot").contains("-jar app.jar").contains("spring.context.exit=onRefresh")
                .contains("--spring.flyway.enabled=false");
        assertThat(runtime.env().get("JAVA_TOOL_OPTIONS")).as("JAVA_TOOL_OPTIONS sizes the heap from the container limit"
                        + " and fixes the collector, so that the cache is made and used with the same one")
                .contains("MaxRAMPercentage").contains("-XX:+UseSerialGC").doesNotContain("-Xmx");
        assertThat(runtime.env().get("JAVA_TOOL_OPTIONS")).as("the C heap's free memory is handed back at rest")
                .contains("-XX:TrimNativeHeapInterval=");
    }

    @ParameterizedTest
    @MethodSource("deployables")
    void imageExposesTheServiceAndManagementPorts(String module) {
        ServiceConfiguration config = ServiceConfiguration.of(module);
        Dockerfile.Stage runtime = dockerfile.lastStage();
        Map<String, String> args = buildArgs(module);
        for (String arg : List.of("SERVER_PORT", "MANAGEMENT_PORT")) {
            assertThat(runtime.args()).as("the runtime stage declares ARG %s", arg).contains(arg);
            assertThat(runtime.exposed()).as("EXPOSE names ${%s}", arg).contains("${" + arg + "}");
        }
        assertThat(args.get("SERVER_PORT")).as("%s build arg SERVER_PORT = server.port of its application.yml", module)
                .isEqualTo(Integer.toString(config.serverPort()));
        assertThat(args.get("MANAGEMENT_PORT")).as("%s build arg MANAGEMENT_PORT = management.server.port of its application.yml", module)
                .isEqualTo(Integer.toString(config.managementPort()));
    }

    @Test
    void dockerignoreKeepsTheReactorAndDropsBuildOutput() {
        DockerIgnore ignore = DockerIgnore.parse(read(ROOT.resolve(".dockerignore")));
        List<String> needed = new ArrayList<>(List.of("mvnw", ".mvn/wrapper/maven-wrapper.properties", "pom.xml"));
        for (String module : reactorModules()) {
            needed.add(module + "/pom.xml");
            needed.add(module + "/src/main/java/dev/ticketing/Example.java");
            needed.add(module + "/src/main/resources/application.yml");
        }
        for (String path : needed) {
            assertThat(ignore.excludes(path)).as(".dockerignore must keep %s (the Maven build reads it)", path).isFalse();
        }
        for (String path : List.of("gateway/target/gateway.jar", "target/classes/x", ".git/HEAD")) {
            assertThat(ignore.excludes(path)).as(".dockerignore should leave %s out of the build context", path).isTrue();
        }
    }

    // ---------------------------------------------------------------- environment

    @ParameterizedTest
    @MethodSource("deployables")
    void everyVariableSetIsOneTheServiceReads(String module) {
        ServiceConfiguration config = ServiceConfiguration.of(module);
        assertThat(service(module)).as("%s takes no env_file (its variables could not be checked)", module)
                .doesNotContainKey("env_file");
        for (String variable : environment(module).keySet()) {
            assertThat(config.reads(variable))
                    .as("%s sets %s, which %s/src/main/resources/application.yml does not read", module, variable, module)
                    .isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("deployables")
    void noVariableIsLeftOnALoopbackDefault(String module) {
        ServiceConfiguration config = ServiceConfiguration.of(module);
        Map<String, String> env = resolvedEnvironment(module);
        config.variables().forEach((variable, localDefault) -> {
            if (localDefault != null && isLoopback(localDefault)) {
                assertThat(env).as("%s reads %s (default %s, this container itself): compose must set it",
                        module, variable, localDefault).containsKey(variable);
                assertThat(isLoopback(env.get(variable)))
                        .as("%s's %s=%s points at its own container", module, variable, env.get(variable)).isFalse();
            }
        });
    }

    @ParameterizedTest
    @MethodSource("deployables")
    void portsSetInTheEnvironmentAreTheApplicationYmlOnes(String module) {
        ServiceConfiguration config = ServiceConfiguration.of(module);
        Map<String, String> env = resolvedEnvironment(module);
        // Other descriptors (k8s/, README, the gateway's defaults) assume the documented ports.
        if (env.containsKey("SERVER_PORT")) {
            assertThat(env.get("SERVER_PORT")).as("%s SERVER_PORT", module).isEqualTo(Integer.toString(config.serverPort()));
        }
        if (env.containsKey("MANAGEMENT_PORT")) {
            assertThat(env.get("MANAGEMENT_PORT")).as("%s MANAGEMENT_PORT", module).isEqualTo(Integer.toString(config.managementPort()));
        }
    }

    @ParameterizedTest
    @MethodSource("deployables")
    void activeProfilesExist(String module) {
        String profiles = resolvedEnvironment(module).get("SPRING_PROFILES_ACTIVE");
        if (profiles == null || profiles.isBlank()) {
            return;
        }
        for (String profile : profiles.split("\\s*,\\s*")) {
            assertThat(ROOT.resolve(module).resolve("src/main/resources/application-" + profile + ".yml"))
                    .as("%s activates profile %s, which has no application-%s.yml", module, profile, profile).isRegularFile();
        }
    }

    @Test
    void concertServiceLoadsTheDemoCatalogue() {
        assertThat(resolvedEnvironment("concert-service").get("SPRING_PROFILES_ACTIVE"))
                .as("concert-service runs with the demo profile so the stack has concerts to sell").contains("demo");
    }

    // ---------------------------------------------------------------- database

    @ParameterizedTest
    @MethodSource("servicesWithDatabase")
    void serviceUsesItsOwnSchemaAndAccountCreatedByTheInitScript(String module) {
        ServiceConfiguration config = ServiceConfiguration.of(module);
        Map<String, String> env = resolvedEnvironment(module);
        String schema = config.databaseName().orElseThrow(() -> new AssertionError(module + " reads no DB_NAME"));
        assertThat(env.get("DB_NAME")).as("%s DB_NAME = the default of its application.yml", module).isEqualTo(schema);
        assertThat(env.get("DB_HOST")).as("%s DB_HOST is the compose MySQL service", module).isEqualTo(MYSQL);
        assertThat(env.get("DB_PORT")).as("%s DB_PORT is MySQL's port", module).isEqualTo("3306");

        String user = env.get("DB_USER");
        assertThat(user).as("%s DB_USER", module).isNotBlank().isNotEqualToIgnoringCase("root");
        assertThat(sqlStatements).as("init SQL creates schema %s", schema)
                .anyMatch(s -> s.matches("(?is)CREATE\\s+(DATABASE|SCHEMA)\\s+(IF\\s+NOT\\s+EXISTS\\s+)?`?" + Pattern.quote(schema) + "`?(\\s.*)?"));
        assertThat(sqlStatements).as("init SQL creates %s's account '%s'@'%%' with the DB_PASSWORD compose gives it", module, user)
                .anyMatch(s -> s.matches("(?is)CREATE\\s+USER\\s+(IF\\s+NOT\\s+EXISTS\\s+)?'" + Pattern.quote(user)
                        + "'@'%'\\s+IDENTIFIED\\s+BY\\s+'" + Pattern.quote(String.valueOf(env.get("DB_PASSWORD"))) + "'"));
        List<String> grantTargets = grantTargets(user);
        assertThat(grantTargets).as("init SQL grants %s something", user).isNotEmpty();
        assertThat(grantTargets).as("%s is granted its own schema %s only", user, schema)
                .allMatch(target -> target.replace("`", "").equals(schema + ".*"));
    }

    @Test
    void everyServiceHasItsOwnDatabaseAccount() {
        Set<String> users = new HashSet<>();
        for (String module : ServiceConfiguration.SERVICES_WITH_DATABASE) {
            String user = resolvedEnvironment(module).get("DB_USER");
            assertThat(users.add(user)).as("DB_USER %s of %s is shared with another service", user, module).isTrue();
        }
    }

    @Test
    void mysqlIs84RunsTheInitScriptAndPingsOverTcp() {
        Map<String, Object> mysql = service(MYSQL);
        assertThat(String.valueOf(mysql.get("image"))).as("MySQL image").isEqualTo("mysql:8.4");
        assertThat(ROOT.resolve("docker/mysql/init/01-schemas.sql")).isRegularFile();
        Map<String, String> mounts = volumeTargets(MYSQL);
        assertThat(mounts).as("mysql mounts the init scripts").containsKey(MYSQL_INIT_DIRECTORY);
        assertThat(ROOT.resolve(mounts.get(MYSQL_INIT_DIRECTORY)).normalize())
                .as("the directory mounted at %s", MYSQL_INIT_DIRECTORY)
                .isEqualTo(ROOT.resolve("docker/mysql/init").normalize());
        assertThat(mounts).as("mysql keeps its data in a volume").containsKey("/var/lib/mysql");
        String check = healthcheckCommand(MYSQL);
        assertThat(check).as("mysql health check").contains("mysqladmin").contains("ping");
        // The image's init phase runs a socket-only server: a TCP ping is healthy only after it.
        assertThat(check).as("mysql health check pings over TCP").containsPattern("(--host=|-h\\s*)127\\.0\\.0\\.1");
    }

    @ParameterizedTest
    @MethodSource("deployables")
    void noServiceGetsMariaDbSettings(String module) {
        assertThat(new Yaml().dump(service(module)).toLowerCase(Locale.ROOT))
                .as("%s runs against MySQL 8.4: no MariaDB product name or other MariaDB-only setting", module)
                .doesNotContain("mariadb");
    }

    // ---------------------------------------------------------------- health and start order

    @ParameterizedTest
    @MethodSource("deployables")
    void healthCheckAsksTheManagementPortForReadiness(String module) {
        ServiceConfiguration config = ServiceConfiguration.of(module);
        assertThat(config.probesEnabled()).as("%s enables the probe health groups", module).isTrue();
        assertThat(config.healthGroup("readiness")).as("%s has a readiness group", module).isNotEmpty();
        List<String> test = healthcheckTest(module);
        assertThat(test).as("%s health check", module).isNotEmpty();
        assertThat(String.join(" ", test)).as("%s health check", module)
                .contains("http://127.0.0.1:" + config.managementPort() + "/actuator/health/readiness");
        // The JRE image may lack curl and wget: whatever the check runs must be put there by the Dockerfile.
        if ("CMD".equals(test.get(0))) {
            String executable = test.get(1);
            assertThat(executable).as("%s health check runs an absolute path", module).startsWith("/");
            assertThat(dockerfile.lastStage().installs(executable))
                    .as("%s health check runs %s, which the runtime stage of the Dockerfile does not install", module, executable)
                    .isTrue();
        } else {
            fail(module + " health check should be [\"CMD\", probe, url] so the probe is one the Dockerfile installs, was " + test);
        }
    }

    @ParameterizedTest
    @MethodSource("allComposeServices")
    void dependenciesExistAndAreWaitedForUntilHealthy(String name) {
        Object dependsOn = service(name).get("depends_on");
        if (dependsOn == null) {
            return;
        }
        assertThat(dependsOn).as("%s depends_on must be the long form (the list form waits only for a start)", name)
                .isInstanceOf(Map.class);
        map(dependsOn, name + ".depends_on").forEach((target, spec) -> {
            assertThat(services).as("%s depends on %s, which compose does not define", name, target).containsKey(target);
            assertThat(map(spec, name + ".depends_on." + target).get("condition"))
                    .as("%s waits for %s", name, target).isEqualTo("service_healthy");
            assertThat(hasHealthcheck(target)).as("%s waits for %s to be healthy, but %s has no health check", name, target, target)
                    .isTrue();
        });
    }

    @ParameterizedTest
    @MethodSource("deployables")
    void everyContainerTheServiceTalksToIsADependency(String module) {
        Set<String> dependsOn = dependsOn(module);
        for (String host : hostsReferenced(module)) {
            assertThat(services).as("%s's environment names host %s, not a compose service", module, host).containsKey(host);
            assertThat(dependsOn).as("%s talks to %s, so it should wait for it", module, host).contains(host);
        }
    }

    @ParameterizedTest
    @MethodSource("allComposeServices")
    void everyContainerHasAMemoryLimitAndARestartPolicy(String name) {
        long limit = memoryLimit(name).orElseGet(() -> fail(name + " has neither deploy.resources.limits.memory nor mem_limit"));
        assertThat(limit).as("%s memory limit", name).isGreaterThanOrEqualTo(256L << 20);
        assertThat(String.valueOf(service(name).get("restart")))
                .as("%s restart policy", name).matches("always|unless-stopped|on-failure(:\\d+)?");
    }

    @ParameterizedTest
    @MethodSource("deployables")
    void shutdownIsGivenTimeToBeGraceful(String module) {
        Optional<String> phase = ServiceConfiguration.of(module).defaultOf("SHUTDOWN_PHASE_TIMEOUT");
        if (phase.isEmpty()) {
            return;
        }
        Object grace = service(module).get("stop_grace_period");
        assertThat(grace).as("%s needs a stop_grace_period: Docker's 10 s is shorter than its %s shutdown phase", module, phase.get())
                .isNotNull();
        assertThat(seconds(grace.toString())).as("%s stop_grace_period vs its shutdown phase %s", module, phase.get())
                .isGreaterThan(seconds(phase.get()));
    }

    /**
     * The image runs in compose as the local overlay runs it in Kubernetes: the same user, a read-only root with a
     * writable /tmp, no capabilities, no privilege escalation, the same memory limit (the heap is a share of it) and
     * the image's own entry point and JVM options. A service that writes outside /tmp, or an image that needs root,
     * then fails on {@code docker compose up} already rather than on its first roll-out.
     */
    @ParameterizedTest
    @MethodSource("deployables")
    void containerRunsAsInKubernetes(String module) {
        io.fabric8.kubernetes.api.model.PodSpec pod = localOverlay().get(io.fabric8.kubernetes.api.model.apps.Deployment.class, module)
                .getSpec().getTemplate().getSpec();
        io.fabric8.kubernetes.api.model.Container container = pod.getContainers().stream()
                .filter(c -> c.getName().equals(module)).findFirst().orElseThrow();
        io.fabric8.kubernetes.api.model.SecurityContext security = container.getSecurityContext();
        Map<String, Object> compose = service(module);

        Long uid = security.getRunAsUser() != null ? security.getRunAsUser() : pod.getSecurityContext().getRunAsUser();
        Long gid = security.getRunAsGroup() != null ? security.getRunAsGroup() : pod.getSecurityContext().getRunAsGroup();
        assertThat(compose.get("user")).as("%s's user and group, as Kubernetes runs it", module).hasToString(uid + ":" + gid);
        assertThat(security.getReadOnlyRootFilesystem()).as("%s: read-only root in Kubernetes", module).isTrue();
        assertThat(compose.get("read_only")).as("%s: read_only as in Kubernetes", module).isEqualTo(true);
        assertThat(security.getCapabilities().getDrop()).as("%s drops every capability in Kubernetes", module).containsExactly("ALL");
        assertThat(strings(compose.get("cap_drop"))).as("%s: cap_drop as in Kubernetes", module).containsExactly("ALL");
        assertThat(security.getAllowPrivilegeEscalation()).as("%s: no privilege escalation in Kubernetes", module).isFalse();
        assertThat(strings(compose.get("security_opt"))).as("%s: security_opt", module).contains("no-new-privileges:true");

        Set<String> emptyDirs = new HashSet<>();
        pod.getVolumes().stream().filter(v -> v.getEmptyDir() != null).forEach(v -> emptyDirs.add(v.getName()));
        List<String> writable = container.getVolumeMounts().stream().filter(m -> emptyDirs.contains(m.getName()))
                .map(io.fabric8.kubernetes.api.model.VolumeMount::getMountPath).toList();
        List<String> tmpfs = ((List<?>) compose.getOrDefault("tmpfs", List.of())).stream()
                .map(t -> t.toString().split(":", 2)[0]).toList();
        assertThat(tmpfs).as("%s: the writable directories of its Kubernetes pod (emptyDir mounts)", module)
                .containsExactlyInAnyOrderElementsOf(writable);

        long kubernetesLimit = container.getResources().getLimits().get("memory").getNumericalAmount().longValueExact();
        assertThat(memoryLimit(module)).as("%s: the memory limit of the local overlay (the heap is a share of it)", module)
                .contains(kubernetesLimit);

        assertThat(container.getCommand()).as("%s: Kubernetes runs the image's entry point", module).isNullOrEmpty();
        assertThat(container.getArgs()).as("%s: Kubernetes passes no arguments", module).isNullOrEmpty();
        assertThat(compose).as("%s: compose runs the image's entry point", module).doesNotContainKeys("entrypoint", "command");
        for (String jvm : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "JAVA_OPTS")) {
            assertThat(container.getEnv()).as("%s: the image's JVM options in Kubernetes", module)
                    .noneMatch(e -> e.getName().equals(jvm));
            assertThat(environment(module)).as("%s: the image's JVM options in compose", module).doesNotContainKey(jvm);
        }
    }

    private static List<String> strings(Object list) {
        return list instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    private static KubernetesOverlay local;

    private static synchronized KubernetesOverlay localOverlay() {
        if (local == null) {
            local = KubernetesOverlay.build("local");
        }
        return local;
    }

    // ---------------------------------------------------------------- network

    @Test
    void theGatewayIsPublishedOnPort8080AndOnlyMysqlAndKafkaBesideItOnLoopback() {
        for (String name : services.keySet()) {
            assertThat(service(name).get("network_mode")).as("%s network_mode (host would publish every port)", name).isNull();
            if (name.equals(MYSQL) || name.equals(KAFKA)) {
                assertThat(service(name).get("ports")).as("%s ports", name).asInstanceOf(
                                org.assertj.core.api.InstanceOfAssertFactories.LIST).isNotEmpty()
                        .allSatisfy(port -> assertThat(port.toString()).as("%s publishes on the host's loopback only", name)
                                .startsWith("127.0.0.1:"));
            } else if (!name.equals(GATEWAY)) {
                assertThat(publishedPorts(name)).as("%s publishes a port; only the gateway, MySQL and Kafka may", name).isEmpty();
            }
        }
        assertThat(publishedPorts(MYSQL)).containsExactly(Map.entry(3306, 3306));
        // The host listener: advertised on loopback, at the port published there.
        Map<String, String> advertised = advertisedListeners(resolvedEnvironment(KAFKA));
        assertThat(advertised).as("Kafka advertises a listener for clients on the host").containsKey("HOST");
        int hostPort = Integer.parseInt(advertised.get("HOST").substring(advertised.get("HOST").lastIndexOf(':') + 1));
        assertThat(advertised.get("HOST")).startsWith("127.0.0.1:");
        assertThat(publishedPorts(KAFKA)).containsExactly(Map.entry(hostPort, hostPort));
        int gatewayPort = ServiceConfiguration.of(GATEWAY).serverPort();
        assertThat(publishedPorts(GATEWAY)).as("the gateway publishes host 8080 to its server.port")
                .containsExactly(Map.entry(8080, gatewayPort));
    }

    @Test
    void gatewayRoutesToTheComposeServices() {
        ServiceConfiguration gateway = ServiceConfiguration.of(GATEWAY);
        Map<String, String> env = resolvedEnvironment(GATEWAY);
        for (String module : ServiceConfiguration.SERVICES_WITH_DATABASE) {
            String variable = urlVariable(module);
            assertThat(gateway.reads(variable)).as("the gateway reads %s for %s", variable, module).isTrue();
            assertThat(env.get(variable)).as("the gateway's %s", variable)
                    .isEqualTo("http://" + module + ":" + ServiceConfiguration.of(module).serverPort());
        }
    }

    @ParameterizedTest
    @MethodSource("deployables")
    void serviceUrlsPointAtTheNamedServiceAndItsPort(String module) {
        resolvedEnvironment(module).forEach((variable, value) -> {
            if (!variable.endsWith("_SERVICE_URL")) {
                return;
            }
            String target = variable.substring(0, variable.length() - "_SERVICE_URL".length()).toLowerCase(Locale.ROOT) + "-service";
            assertThat(ServiceConfiguration.SERVICES).as("%s's %s names service %s", module, variable, target).contains(target);
            assertThat(value).as("%s's %s", module, variable)
                    .isEqualTo("http://" + target + ":" + ServiceConfiguration.of(target).serverPort());
        });
    }

    @Test
    void internalCallsOfReservationAndPaymentGoToTheirPeers() {
        assertThat(resolvedEnvironment("reservation-service").get("CONCERT_SERVICE_URL"))
                .as("reservation-service's concert-service URL").isEqualTo("http://concert-service:" + ServiceConfiguration.of("concert-service").serverPort());
        assertThat(resolvedEnvironment("payment-service").get("RESERVATION_SERVICE_URL"))
                .as("payment-service's reservation-service URL").isEqualTo("http://reservation-service:" + ServiceConfiguration.of("reservation-service").serverPort());
    }

    // ---------------------------------------------------------------- Kafka

    @Test
    void kafkaIsASingleKraftNodeWithoutTopicAutoCreation() {
        Map<String, String> env = resolvedEnvironment(KAFKA);
        assertThat(String.valueOf(service(KAFKA).get("image"))).as("Kafka image (the project's broker is 3.9)").startsWith("apache/kafka:3.9.");
        assertThat(List.of(env.getOrDefault("KAFKA_PROCESS_ROLES", "").split("\\s*,\\s*")))
                .as("KRaft combined mode").containsExactlyInAnyOrder("broker", "controller");
        assertThat(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")).as("topic auto-creation, off as in production").isEqualTo("false");
        assertThat(env.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR")).as("offsets topic replication on one broker").isEqualTo("1");
        Map<String, String> listeners = listenerPorts(env.get("KAFKA_LISTENERS"));
        advertisedListeners(env).forEach((name, address) -> assertThat(listeners.get(name))
                .as("advertised listener %s=%s has a listener on the same port", name, address)
                .isEqualTo(address.substring(address.lastIndexOf(':') + 1)));
        String healthcheck = healthcheckCommand(KAFKA);
        assertThat(healthcheck).as("kafka health check asks the broker through its advertised listener")
                .containsAnyOf(clientListeners(env).toArray(String[]::new));
        long heap = memory(env.getOrDefault("KAFKA_HEAP_OPTS", "").replaceAll(".*-Xmx(\\S+).*", "$1"));
        assertThat(heap).as("broker heap (-Xmx in KAFKA_HEAP_OPTS) below the container limit")
                .isPositive().isLessThan(memoryLimit(KAFKA).orElseThrow());
    }

    @ParameterizedTest
    @MethodSource("deployables")
    void kafkaBootstrapIsTheBrokersAdvertisedListener(String module) {
        if (!ServiceConfiguration.of(module).reads("KAFKA_BOOTSTRAP_SERVERS")) {
            assertThat(resolvedEnvironment(module)).as("%s does not use Kafka", module).doesNotContainKey("KAFKA_BOOTSTRAP_SERVERS");
            return;
        }
        String bootstrap = resolvedEnvironment(module).get("KAFKA_BOOTSTRAP_SERVERS");
        assertThat(bootstrap).as("%s KAFKA_BOOTSTRAP_SERVERS", module).isNotBlank();
        List<String> advertised = clientListeners(resolvedEnvironment(KAFKA));
        for (String address : bootstrap.split("\\s*,\\s*")) {
            assertThat(advertised).as("%s bootstraps from %s, which the broker does not advertise", module, address).contains(address);
        }
    }

    @Test
    void topicsAreCreatedByTheServicesWithTheContractsPartitionCount() {
        // Auto-creation is off, so the topics exist only because each service's KafkaAdmin creates them.
        String properties = read(ROOT.resolve("common-messaging/src/main/java/dev/ticketing/messaging/MessagingProperties.java"));
        assertThat(properties).as("common-messaging creates topics unless told not to")
                .containsPattern("@DefaultValue\\(\"true\"\\)\\s+boolean\\s+createTopics");
        Matcher partitions = Pattern.compile("@DefaultValue\\(\"(\\d+)\"\\)\\s+int\\s+partitions").matcher(properties);
        assertThat(partitions.find()).as("MessagingProperties has a partitions default").isTrue();
        String topics = read(ROOT.resolve("common-events/src/main/java/dev/ticketing/events/Topics.java"));
        assertThat(topics).as("the created partition count is the contract's Topics.PARTITIONS")
                .containsPattern("int\\s+PARTITIONS\\s*=\\s*" + partitions.group(1) + ";");
        assertThat(resolvedEnvironment(KAFKA).get("KAFKA_NUM_PARTITIONS"))
                .as("the broker's default for hand-made topics matches").isEqualTo(partitions.group(1));
        for (String module : ServiceConfiguration.SERVICES_WITH_DATABASE) {
            ServiceConfiguration config = ServiceConfiguration.of(module);
            assertThat(config.value("ticketing.messaging.create-topics")).as("%s turns topic creation off", module)
                    .isNotIn(false, "false");
            Object own = config.value("ticketing.messaging.partitions");
            assertThat(own == null ? partitions.group(1) : own.toString()).as("%s partitions", module).isEqualTo(partitions.group(1));
            assertThat(dependsOn(module)).as("%s creates topics, so it must start after Kafka is healthy", module).contains(KAFKA);
        }
    }

    // ================================================================ reading compose

    private static Map<String, Object> service(String name) {
        Map<String, Object> service = services.get(name);
        assertThat(service).as("compose service %s", name).isNotNull();
        return service;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String what) {
        assertThat(node).as("%s is a mapping", what).isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }

    /** The environment as written (list or mapping form); a key without value is passed from the host. */
    private static Map<String, String> environment(String name) {
        Object env = service(name).get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> m) {
            m.forEach((k, v) -> result.put(k.toString(), v == null ? null : v.toString()));
        } else if (env instanceof List<?> list) {
            for (Object entry : list) {
                String s = entry.toString();
                int eq = s.indexOf('=');
                result.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            }
        } else if (env != null) {
            fail(name + ".environment is neither a mapping nor a list");
        }
        return result;
    }

    /** The environment with compose's ${VAR:-default} taken as if the host set nothing. */
    private static Map<String, String> resolvedEnvironment(String name) {
        Map<String, String> result = new LinkedHashMap<>();
        environment(name).forEach((k, v) -> result.put(k, v == null ? null : interpolate(v)));
        return result;
    }

    private static String interpolate(String value) {
        Matcher m = COMPOSE_VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = m.group().equals("$$") ? "$" : m.group(2) == null ? "" : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Map<String, String> buildArgs(String name) {
        Object args = map(service(name).get("build"), name + ".build").get("args");
        Map<String, String> result = new LinkedHashMap<>();
        if (args instanceof Map<?, ?> m) {
            m.forEach((k, v) -> result.put(k.toString(), v == null ? null : interpolate(v.toString())));
        } else if (args instanceof List<?> list) {
            for (Object entry : list) {
                String[] kv = entry.toString().split("=", 2);
                result.put(kv[0], kv.length > 1 ? interpolate(kv[1]) : null);
            }
        }
        return result;
    }

    /** Health check test as a list: ["CMD", ...], ["CMD-SHELL", "..."] or a string (shell form). */
    private static List<String> healthcheckTest(String name) {
        Object healthcheck = service(name).get("healthcheck");
        if (!(healthcheck instanceof Map<?, ?> hc) || Boolean.TRUE.equals(hc.get("disable"))) {
            return List.of();
        }
        Object test = hc.get("test");
        if (test instanceof List<?> list) {
            List<String> result = list.stream().map(Object::toString).toList();
            return result.isEmpty() || result.get(0).equals("NONE") ? List.of() : result;
        }
        return test == null ? List.of() : List.of("CMD-SHELL", test.toString());
    }

    private static String healthcheckCommand(String name) {
        List<String> test = healthcheckTest(name);
        assertThat(test).as("%s has a health check", name).isNotEmpty();
        return String.join(" ", test.subList(1, test.size()));
    }

    private static boolean hasHealthcheck(String name) {
        return healthcheckTest(name).size() > 1;
    }

    private static Set<String> dependsOn(String name) {
        Object dependsOn = service(name).get("depends_on");
        if (dependsOn instanceof Map<?, ?> m) {
            Set<String> result = new HashSet<>();
            m.keySet().forEach(k -> result.add(k.toString()));
            return result;
        }
        if (dependsOn instanceof List<?> list) {
            Set<String> result = new HashSet<>();
            list.forEach(k -> result.add(k.toString()));
            return result;
        }
        return Set.of();
    }

    /** Hosts a service's environment points at: URLs, DB_HOST and the Kafka bootstrap servers. */
    private static Set<String> hostsReferenced(String name) {
        Set<String> hosts = new HashSet<>();
        resolvedEnvironment(name).forEach((variable, value) -> {
            if (value == null) {
                return;
            }
            Matcher url = URL.matcher(value);
            if (url.matches()) {
                hosts.add(url.group(1));
            } else if (variable.equals("DB_HOST")) {
                hosts.add(value);
            } else if (variable.equals("KAFKA_BOOTSTRAP_SERVERS")) {
                for (String address : value.split("\\s*,\\s*")) {
                    hosts.add(address.substring(0, address.lastIndexOf(':')));
                }
            }
        });
        return hosts;
    }

    private static boolean isLoopback(String value) {
        return value.contains("127.0.0.1") || value.contains("localhost") || value.contains("[::1]");
    }

    /** Container path to host path of the bind mounts and volumes (short and long syntax). */
    private static Map<String, String> volumeTargets(String name) {
        Map<String, String> result = new LinkedHashMap<>();
        Object volumes = service(name).get("volumes");
        if (volumes instanceof List<?> list) {
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> m) {
                    result.put(String.valueOf(m.get("target")), String.valueOf(m.get("source")));
                } else {
                    String[] parts = entry.toString().split(":");
                    result.put(parts.length > 1 ? parts[1] : parts[0], parts[0]);
                }
            }
        }
        return result;
    }

    /** Host port to container port of every published port (short and long syntax). */
    private static List<Map.Entry<Integer, Integer>> publishedPorts(String name) {
        List<Map.Entry<Integer, Integer>> result = new ArrayList<>();
        Object ports = service(name).get("ports");
        if (ports instanceof List<?> list) {
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> m) {
                    Object published = m.get("published");
                    result.add(Map.entry(published == null ? -1 : Integer.parseInt(published.toString()),
                            Integer.parseInt(String.valueOf(m.get("target")))));
                } else {
                    String[] parts = entry.toString().replaceAll("/(tcp|udp)$", "").split(":");
                    int container = Integer.parseInt(parts[parts.length - 1]);
                    int host = parts.length > 1 ? Integer.parseInt(parts[parts.length - 2]) : -1;
                    result.add(Map.entry(host, container));
                }
            }
        } else if (ports != null) {
            fail(name + ".ports is not a list");
        }
        return result;
    }

    private static Optional<Long> memoryLimit(String name) {
        Map<String, Object> service = service(name);
        if (service.get("deploy") instanceof Map<?, ?> deploy
                && deploy.get("resources") instanceof Map<?, ?> resources
                && resources.get("limits") instanceof Map<?, ?> limits
                && limits.get("memory") != null) {
            return Optional.of(memory(limits.get("memory").toString()));
        }
        return Optional.ofNullable(service.get("mem_limit")).map(Object::toString).map(DockerComposeTest::memory);
    }

    /** "640m", "1g", "1G", "512M", "1024" (bytes) to bytes. */
    static long memory(String value) {
        Matcher m = Pattern.compile("(?i)\\s*(\\d+)\\s*([bkmg]?)b?\\s*").matcher(value);
        if (!m.matches()) {
            return -1;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            default -> n;
        };
    }

    /** "30s", "1m30s", "2m", "500ms" to seconds. */
    static double seconds(String duration) {
        Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|h|m|s)").matcher(duration);
        double total = 0;
        int matched = 0;
        while (m.find()) {
            matched += m.group().length();
            double n = Double.parseDouble(m.group(1));
            total += switch (m.group(2)) {
                case "h" -> n * 3600;
                case "m" -> n * 60;
                case "ms" -> n / 1000;
                case "us" -> n / 1_000_000;
                default -> n;
            };
        }
        assertThat(matched).as("duration %s", duration).isEqualTo(duration.trim().length());
        return total;
    }

    private static String urlVariable(String module) {
        return module.replace("-service", "").toUpperCase(Locale.ROOT) + "_SERVICE_URL";
    }

    // ================================================================ Kafka listeners

    /** Listener name to port, from "PLAINTEXT://:9092,CONTROLLER://:9093". */
    private static Map<String, String> listenerPorts(String listeners) {
        assertThat(listeners).as("KAFKA_LISTENERS").isNotBlank();
        Map<String, String> result = new LinkedHashMap<>();
        for (String listener : listeners.split("\\s*,\\s*")) {
            result.put(listener.substring(0, listener.indexOf("://")), listener.substring(listener.lastIndexOf(':') + 1));
        }
        return result;
    }

    /** Listener name to host:port, from KAFKA_ADVERTISED_LISTENERS. */
    private static Map<String, String> advertisedListeners(Map<String, String> kafka) {
        String advertised = kafka.get("KAFKA_ADVERTISED_LISTENERS");
        assertThat(advertised).as("KAFKA_ADVERTISED_LISTENERS").isNotBlank();
        Map<String, String> result = new LinkedHashMap<>();
        for (String listener : advertised.split("\\s*,\\s*")) {
            int scheme = listener.indexOf("://");
            result.put(listener.substring(0, scheme), listener.substring(scheme + 3));
        }
        return result;
    }

    /** The advertised host:port addresses clients may use (not the controller's). */
    private static List<String> clientListeners(Map<String, String> kafka) {
        Set<String> controllers = Set.of(kafka.getOrDefault("KAFKA_CONTROLLER_LISTENER_NAMES", "").split("\\s*,\\s*"));
        List<String> result = new ArrayList<>();
        advertisedListeners(kafka).forEach((name, address) -> {
            if (!controllers.contains(name) && !name.equals("HOST")) { // HOST: for clients on the host, not the services
                result.add(address);
            }
        });
        assertThat(result).as("Kafka advertises a client listener").isNotEmpty();
        for (String address : result) {
            assertThat(services).as("advertised Kafka host of %s is a compose service name", address)
                    .containsKey(address.substring(0, address.lastIndexOf(':')));
        }
        return result;
    }

    // ================================================================ init SQL

    private static List<String> sqlStatements(String sql) {
        String withoutComments = sql.replaceAll("(?m)--.*$", "").replaceAll("(?s)/\\*.*?\\*/", "");
        List<String> result = new ArrayList<>();
        for (String statement : withoutComments.split(";")) {
            String s = statement.trim().replaceAll("\\s+", " ");
            if (!s.isEmpty()) {
                result.add(s);
            }
        }
        return result;
    }

    /** The "ON ..." targets of every GRANT to the account. */
    private static List<String> grantTargets(String user) {
        Pattern grant = Pattern.compile("(?is)GRANT\\s+.+?\\s+ON\\s+(\\S+)\\s+TO\\s+(.+)");
        List<String> targets = new ArrayList<>();
        for (String statement : sqlStatements) {
            Matcher m = grant.matcher(statement);
            if (m.matches() && m.group(2).matches("(?s).*'" + Pattern.quote(user) + "'@.*")) {
                targets.add(m.group(1));
            }
        }
        return targets;
    }

    // ================================================================ files

    private static List<String> reactorModules() {
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(read(ROOT.resolve("pom.xml")));
        List<String> modules = new ArrayList<>();
        while (m.find()) {
            modules.add(m.group(1).trim());
        }
        assertThat(modules).as("modules of the root pom").isNotEmpty();
        return modules;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Just enough of a Dockerfile parser: stages and their instructions, heredoc bodies skipped. */
    record Dockerfile(List<Stage> stages) {

        record Stage(String image, List<String> args, List<String> runs, List<String> copies,
                     List<String> exposed, Map<String, String> env, Optional<String> user, String entrypoint) {

            /** Sources of COPY --from=... in order, by the last path element ("dependencies", ...). */
            List<String> copiesFrom() {
                List<String> result = new ArrayList<>();
                for (String copy : copies) {
                    if (copy.contains("--from=")) {
                        String[] words = copy.trim().split("\\s+");
                        String source = words[words.length - 2].replaceAll("/+$", "");
                        result.add(source.substring(source.lastIndexOf('/') + 1));
                    }
                }
                return result;
            }

            /** True when a COPY or RUN of this stage writes the path. */
            boolean installs(String path) {
                return copies.stream().anyMatch(c -> c.trim().endsWith(" " + path))
                        || runs.stream().anyMatch(r -> r.contains(path));
            }
        }

        static Dockerfile parse(String text) {
            List<String> instructions = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            String heredocEnd = null;
            for (String line : text.split("\n", -1)) {
                if (heredocEnd != null) {
                    if (line.trim().equals(heredocEnd)) {
                        heredocEnd = null;
                    }
                    continue;
                }
                String trimmed = line.strip();
                if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                    continue;
                }
                if (trimmed.endsWith("\\")) {
                    current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                    continue;
                }
                current.append(trimmed);
                String instruction = current.toString();
                current.setLength(0);
                instructions.add(instruction);
                Matcher heredoc = Pattern.compile("<<-?['\"]?([A-Za-z_]+)['\"]?").matcher(instruction);
                if (heredoc.find()) {
                    heredocEnd = heredoc.group(1);
                }
            }
            List<Stage> stages = new ArrayList<>();
            String image = null;
            List<String> args = null, runs = null, copies = null, exposed = null;
            Map<String, String> env = null;
            String user = null, entrypoint = null;
            for (String instruction : instructions) {
                String[] parts = instruction.split("\\s+", 2);
                String keyword = parts[0].toUpperCase(Locale.ROOT);
                String rest = parts.length > 1 ? parts[1] : "";
                if (keyword.equals("FROM")) {
                    if (image != null) {
                        stages.add(new Stage(image, args, runs, copies, exposed, env, Optional.ofNullable(user), entrypoint));
                    }
                    image = rest.split("\\s+")[0];
                    args = new ArrayList<>();
                    runs = new ArrayList<>();
                    copies = new ArrayList<>();
                    exposed = new ArrayList<>();
                    env = new LinkedHashMap<>();
                    user = null;
                    entrypoint = null;
                    continue;
                }
                if (image == null) {
                    continue; // global ARGs before the first FROM
                }
                switch (keyword) {
                    case "ARG" -> args.add(rest.split("=", 2)[0].trim());
                    case "RUN" -> runs.add(rest);
                    case "COPY", "ADD" -> copies.add(rest);
                    case "EXPOSE" -> exposed.addAll(List.of(rest.split("\\s+")));
                    case "USER" -> user = rest.trim();
                    case "ENTRYPOINT" -> entrypoint = rest;
                    case "ENV" -> {
                        Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)").matcher(rest);
                        while (m.find()) {
                            env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
                        }
                    }
                    default -> { }
                }
            }
            assertThat(image).as("the Dockerfile has a FROM").isNotNull();
            stages.add(new Stage(image, args, runs, copies, exposed, env, Optional.ofNullable(user), entrypoint));
            return new Dockerfile(List.copyOf(stages));
        }

        Stage lastStage() {
            return stages.get(stages.size() - 1);
        }

        Stage stageRunning(String word) {
            return stages.stream().filter(s -> s.runs().stream().anyMatch(r -> r.contains(word))).findFirst()
                    .orElseGet(() -> fail("no Dockerfile stage runs " + word));
        }
    }

    /** .dockerignore patterns with Docker's meaning: last match wins, "!" re-includes, a matched directory takes its contents. */
    record DockerIgnore(List<Map.Entry<Pattern, Boolean>> rules) {

        static DockerIgnore parse(String text) {
            List<Map.Entry<Pattern, Boolean>> rules = new ArrayList<>();
            for (String line : text.split("\n")) {
                String pattern = line.strip();
                if (pattern.isEmpty() || pattern.startsWith("#")) {
                    continue;
                }
                boolean include = pattern.startsWith("!");
                pattern = pattern.replaceFirst("^!", "").replaceAll("^/+|/+$", "");
                rules.add(Map.entry(Pattern.compile(glob(pattern)), !include));
            }
            return new DockerIgnore(rules);
        }

        private static String glob(String pattern) {
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                    boolean slash = i + 2 < pattern.length() && pattern.charAt(i + 2) == '/';
                    regex.append(slash ? "(.*/)?" : ".*");
                    i += slash ? 2 : 1;
                } else if (c == '*') {
                    regex.append("[^/]*");
                } else if (c == '?') {
                    regex.append("[^/]");
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return regex.toString();
        }

        boolean excludes(String path) {
            boolean excluded = false;
            for (Map.Entry<Pattern, Boolean> rule : rules) {
                String prefix = path;
                boolean matched = false;
                while (!prefix.isEmpty()) {
                    if (rule.getKey().matcher(prefix).matches()) {
                        matched = true;
                        break;
                    }
                    int slash = prefix.lastIndexOf('/');
                    prefix = slash < 0 ? "" : prefix.substring(0, slash);
                }
                if (matched) {
                    excluded = rule.getValue();
                }
            }
            return excluded;
        }
    }
}
