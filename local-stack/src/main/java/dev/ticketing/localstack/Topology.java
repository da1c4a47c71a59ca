package dev.ticketing.localstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What runs where: the deployables, how many instances of each ({@code STACK_REPLICAS}), and each instance's
 * name and ports. Instance {@code n} (1-based) of a service listens on the service's port plus {@code 100 * (n - 1)}
 * and its management port likewise, unless {@code <PREFIX>_PORT_<n>} or {@code <PREFIX>_MANAGEMENT_PORT_<n>}
 * names them. With more than one gateway, a load balancer takes the gateway's port and the gateways move one
 * step up (8180, 8280, ...), as pods behind an Ingress would.
 */
final class Topology {

    /**
     * JVM flags every service gets by default: the serial collector (2 cores, small heaps: no
     * concurrent GC threads to feed), caps on metaspace and code cache well above what the busiest
     * service uses under load, smaller thread stacks, and death rather than limping on after an
     * OutOfMemoryError; from Java 22 on (the children run on the launcher's JVM), the C heap's free memory handed
     * back to the system every 5 s, which glibc otherwise keeps (22-37 MB per service at rest). The figures behind
     * each flag and its cost in throughput: docs/performance.md.
     */
    static final String JVM_COMMON = "-XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -Xss512k -XX:+ExitOnOutOfMemoryError"
            + (Runtime.version().feature() >= 22 ? " -XX:TrimNativeHeapInterval=5000" : "");

    /** The step between the ports of one service's instances. */
    static final int PORT_STEP = 100;

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

    static final String GATEWAY = "gateway";

    private final Map<String, String> env;
    private final List<Service> wanted;
    private final Map<String, Integer> replicas;

    Topology(Map<String, String> env) {
        this.env = env;
        this.wanted = wanted(env.get("STACK_SERVICES"));
        this.replicas = replicas(env.get("STACK_REPLICAS"));
    }

    /** The services to start, in start order. */
    List<Service> services() {
        return wanted;
    }

    /** Every instance of every wanted service, in start order. */
    List<Instance> instances() {
        List<Instance> all = new ArrayList<>();
        for (Service s : wanted) {
            all.addAll(instancesOf(s));
        }
        return all;
    }

    /** The instances of one service, whether or not it is among the wanted ones (callers need its addresses). */
    List<Instance> instancesOf(Service s) {
        int count = replicasOf(s.module());
        List<Instance> instances = new ArrayList<>(count);
        for (int n = 1; n <= count; n++) {
            String name = count == 1 ? s.module() : s.module() + "-" + n;
            instances.add(new Instance(s, n, name, port(s, n), managementPort(s, n)));
        }
        return instances;
    }

    int replicasOf(String module) {
        return replicas.getOrDefault(module, replicas.getOrDefault("*", 1));
    }

    /** Whether a load balancer stands in front of the gateways: there is more than one of them. */
    boolean gatewayBehindProxy() {
        return wanted.stream().anyMatch(s -> s.module().equals(GATEWAY)) && replicasOf(GATEWAY) > 1;
    }

    /** The port clients use for a module: the load balancer's for several gateways, otherwise its first instance's. */
    int publicPort(String module) {
        Service s = service(module);
        if (module.equals(GATEWAY) && gatewayBehindProxy()) {
            return s.basePort(env);
        }
        return instancesOf(s).get(0).port();
    }

    static Service service(String module) {
        return SERVICES.stream().filter(s -> s.module().equals(module)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(module + " is not a service of this stack"));
    }

    private int port(Service s, int n) {
        String explicit = env.get(s.envPrefix() + "_PORT_" + n);
        if (explicit != null && !explicit.isBlank()) {
            return Integer.parseInt(explicit.trim());
        }
        int step = s.module().equals(GATEWAY) && replicasOf(GATEWAY) > 1 ? n : n - 1;
        return s.basePort(env) + PORT_STEP * step;
    }

    private int managementPort(Service s, int n) {
        String explicit = env.get(s.envPrefix() + "_MANAGEMENT_PORT_" + n);
        if (explicit != null && !explicit.isBlank()) {
            return Integer.parseInt(explicit.trim());
        }
        return s.baseManagementPort(env) + PORT_STEP * (n - 1);
    }

    private static List<Service> wanted(String list) {
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

    /**
     * {@code STACK_REPLICAS}: a number for every service ({@code 2}), counts per service
     * ({@code gateway=2,queue-service=3}), or both ({@code 2,gateway=1}); 1 where nothing is said.
     */
    static Map<String, Integer> replicas(String setting) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (setting == null || setting.isBlank()) {
            return counts;
        }
        for (String part : setting.split(",")) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            String module = eq < 0 ? "*" : item.substring(0, eq).trim();
            String count = eq < 0 ? item : item.substring(eq + 1).trim();
            if (!module.equals("*")) {
                service(module);
            }
            int n;
            try {
                n = Integer.parseInt(count);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("STACK_REPLICAS: " + item + " is not a count of instances");
            }
            if (n < 1 || n > 9) {
                throw new IllegalArgumentException("STACK_REPLICAS: " + item + " must be between 1 and 9 instances");
            }
            counts.put(module, n);
        }
        return counts;
    }

    /** A deployable: module name, env prefix for its settings, default port, schema (null for the gateway), its own JVM flags. */
    record Service(String module, String envPrefix, int defaultPort, String schema, String memoryFlags) {

        /**
         * {@code STACK_JVM_OPTS_<PREFIX>} (say {@code STACK_JVM_OPTS_GATEWAY}) for this service, else
         * {@code STACK_JVM_OPTS} for every service, else {@link #JVM_COMMON} and the service's own flags; then
         * {@code STACK_JVM_EXTRA_OPTS}, added to whichever of these applies (to try one flag on every service).
         */
        List<String> jvmFlags(Map<String, String> env) {
            String flags = env.get("STACK_JVM_OPTS_" + envPrefix);
            if (flags == null || flags.isBlank()) {
                flags = env.get("STACK_JVM_OPTS");
            }
            if (flags == null || flags.isBlank()) {
                flags = JVM_COMMON + " " + memoryFlags;
            }
            flags = flags + " " + env.getOrDefault("STACK_JVM_EXTRA_OPTS", "");
            return Arrays.asList(flags.trim().split("\\s+"));
        }

        Path jar(Path home) {
            return home.resolve(module).resolve("target").resolve(module + ".jar");
        }

        int basePort(Map<String, String> env) {
            return Integer.parseInt(env.getOrDefault(envPrefix + "_PORT", Integer.toString(defaultPort)));
        }

        int baseManagementPort(Map<String, String> env) {
            return Integer.parseInt(env.getOrDefault(envPrefix + "_MANAGEMENT_PORT", Integer.toString(basePort(env) + 1000)));
        }
    }

    /** One process of a service: its number (from 1), name ({@code queue-service-2}, or the module's when alone) and ports. */
    record Instance(Service service, int number, String name, int port, int managementPort) {

        String module() {
            return service.module();
        }
    }
}
