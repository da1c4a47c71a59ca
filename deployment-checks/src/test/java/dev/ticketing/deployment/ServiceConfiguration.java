package dev.ticketing.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;

/**
 * What a service's own {@code application.yml} says about how it is deployed: the environment variables it
 * reads (with their local defaults), its ports, its database and its health groups. Deployment descriptors
 * are checked against this, so a renamed variable or a moved port fails a test instead of a rollout.
 */
record ServiceConfiguration(String module, Map<String, Object> tree, Map<String, String> variables) {

    /** Every deployable module, in the order of DESIGN section 2. */
    static final List<String> SERVICES =
            List.of("gateway", "queue-service", "concert-service", "reservation-service", "payment-service");

    /** The services that own a schema (all but the gateway). */
    static final List<String> SERVICES_WITH_DATABASE = SERVICES.subList(1, SERVICES.size());

    /**
     * Variables every Spring Boot service or JVM understands without naming them in its configuration:
     * the active profiles, the log format (Spring Boot's structured logging) and JVM flags.
     */
    static final List<String> PLATFORM_VARIABLES = List.of("SPRING_PROFILES_ACTIVE", "LOGGING_STRUCTURED_FORMAT_CONSOLE",
            "JAVA_TOOL_OPTIONS", "JAVA_OPTS");

    private static final Pattern PROPERTY_REFERENCE = Pattern.compile("\\$\\{([a-z][a-z0-9.-]*)}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");

    /** The repository root (this module's parent directory, where Maven runs the tests from the module). */
    static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("deployment-checks")) ? here : here.getParent();
    }

    /** The file every back-end service imports (spring.config.import), from common-messaging's resources. */
    static final String SHARED_DEFAULTS = "ticketing-service-defaults.yml";

    /**
     * The module's application.yml, over the shared defaults where it imports them, as Spring Boot reads them: the
     * service's own values and the imported ones together (the shared file holds no key a service sets).
     */
    @SuppressWarnings("unchecked")
    static ServiceConfiguration of(String module) {
        Path file = repositoryRoot().resolve(module).resolve("src/main/resources/application.yml");
        try {
            String text = Files.readString(file);
            Map<String, Object> tree = new Yaml().load(text);
            Object imports = ((Map<String, Object>) ((Map<String, Object>) tree.getOrDefault("spring", Map.of()))
                    .getOrDefault("config", Map.of())).get("import");
            if (imports != null && String.valueOf(imports).contains("classpath:" + SHARED_DEFAULTS)) {
                String shared = Files.readString(repositoryRoot().resolve("common-messaging/src/main/resources").resolve(SHARED_DEFAULTS));
                Map<String, Object> merged = new Yaml().load(shared);
                merge(merged, tree);
                tree = merged;
                text = shared + "\n" + text;
            }
            Map<String, String> variables = new LinkedHashMap<>();
            Matcher matcher = PLACEHOLDER.matcher(text);
            while (matcher.find()) {
                variables.putIfAbsent(matcher.group(1), matcher.group(2));
            }
            // Not Map.copyOf: a placeholder without a default (${VAR}) maps to null.
            return new ServiceConfiguration(module, tree, Collections.unmodifiableMap(variables));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The module's pom.xml, followed by service-parent's when that is its parent (the back-end services). */
    static String pomWithParent(String module) throws IOException {
        String pom = Files.readString(repositoryRoot().resolve(module).resolve("pom.xml"));
        String parent = pom.substring(0, Math.max(0, pom.indexOf("</parent>")));
        return parent.contains("<artifactId>service-parent</artifactId>")
                ? pom + Files.readString(repositoryRoot().resolve("service-parent").resolve("pom.xml")) : pom;
    }

    /** Puts {@code over}'s values into {@code into}, mappings merged key by key. */
    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> over) {
        over.forEach((key, value) -> {
            if (value instanceof Map<?, ?> map && into.get(key) instanceof Map<?, ?> existing) {
                merge((Map<String, Object>) existing, (Map<String, Object>) map);
            } else {
                into.put(key, value);
            }
        });
    }

    /** True when the service reads this environment variable (or it is one every service understands). */
    boolean reads(String variable) {
        return variables.containsKey(variable) || PLATFORM_VARIABLES.contains(variable);
    }

    /** The local default of a variable the service reads, e.g. {@code SERVER_PORT} gives "8080". */
    Optional<String> defaultOf(String variable) {
        return Optional.ofNullable(variables.get(variable));
    }

    int serverPort() {
        return resolvedInt("server.port");
    }

    int managementPort() {
        return resolvedInt("management.server.port");
    }

    /** The schema name by default (the {@code DB_NAME} variable), empty for the gateway. */
    Optional<String> databaseName() {
        return defaultOf("DB_NAME");
    }

    /** The health indicators a probe group includes, e.g. {@code readiness} gives [readinessState, db, kafka]. */
    @SuppressWarnings("unchecked")
    List<String> healthGroup(String group) {
        Object include = value("management.endpoint.health.group." + group + ".include");
        if (include instanceof String s) {
            return List.of(s.split("\\s*,\\s*"));
        }
        return include == null ? List.of() : (List<String>) include;
    }

    boolean probesEnabled() {
        return Boolean.TRUE.equals(value("management.endpoint.health.probes.enabled"));
    }

    /** A value by dotted path, placeholders left as written. */
    @SuppressWarnings("unchecked")
    Object value(String dottedPath) {
        Object node = tree;
        for (String key : dottedPath.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = ((Map<String, Object>) map).get(key);
        }
        return node;
    }

    /** A value with its placeholder replaced by the local default, e.g. {@code ${SERVER_PORT:8080}} gives 8080. */
    String resolved(String dottedPath) {
        Object raw = value(dottedPath);
        if (raw == null) {
            throw new IllegalStateException(module + " has no " + dottedPath);
        }
        Matcher reference = PROPERTY_REFERENCE.matcher(raw.toString());
        if (reference.matches()) {
            return resolved(reference.group(1)); // ${spring.application.name}: another property
        }
        Matcher matcher = PLACEHOLDER.matcher(raw.toString());
        return matcher.matches() ? matcher.group(2) : raw.toString();
    }

    private int resolvedInt(String dottedPath) {
        return Integer.parseInt(resolved(dottedPath));
    }
}
