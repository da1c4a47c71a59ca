package dev.ticketing.localstack;

import dev.ticketing.localstack.Topology.Instance;
import dev.ticketing.localstack.Topology.Service;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** How a service instance's process is started: its command line and environment, from the stack's settings. */
final class ServiceCommands {

    private final Map<String, String> env;
    private final Topology topology;
    private final DatabaseServer database;
    private final String productName;
    private final String productVersion;

    /** @param serverVersion the database server's {@code VERSION()}, whose product and version Hibernate is told (see {@link #of}) */
    ServiceCommands(Map<String, String> env, Topology topology, DatabaseServer database, String serverVersion) {
        this.env = env;
        this.topology = topology;
        this.database = database;
        this.productName = serverVersion.contains("MariaDB") ? "MariaDB" : "MySQL";
        this.productVersion = serverVersion.replaceFirst("-.*$", "");
    }

    /**
     * The instance's JVM with its service's flags ({@link Service#jvmFlags}), then {@code jvmAndJar}, then the
     * service's arguments: among them where every instance of every service listens, for Spring Cloud
     * LoadBalancer's static instance lists ({@code spring.cloud.discovery.client.simple.instances}).
     */
    ProcessBuilder of(Instance instance, String bootstrap, List<String> jvmAndJar) {
        Service s = instance.service();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(s.jvmFlags(env));
        command.addAll(jvmAndJar);
        if (s.schema() != null) {
            // mysql-connector-j mistakes MariaDB 11 for MySQL 8: name the product for Hibernate.
            command.add("--spring.jpa.properties.jakarta.persistence.database-product-name=" + productName);
            command.add("--spring.jpa.properties.jakarta.persistence.database-product-version=" + productVersion);
            command.add("--spring.jpa.properties.hibernate.boot.allow_jdbc_metadata_access=false");
        }
        for (Service other : Topology.SERVICES) {
            if (other.schema() == null) {
                continue;
            }
            List<Instance> instances = topology.instancesOf(other);
            for (int i = 0; i < instances.size(); i++) {
                command.add("--spring.cloud.discovery.client.simple.instances." + other.module() + "[" + i + "].uri=http://127.0.0.1:"
                        + instances.get(i).port());
            }
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> childEnv = pb.environment();
        childEnv.putAll(env);
        childEnv.put("SERVER_PORT", Integer.toString(instance.port()));
        childEnv.put("MANAGEMENT_PORT", Integer.toString(instance.managementPort()));
        childEnv.put("INSTANCE_NAME", instance.name());
        childEnv.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        childEnv.put("DB_HOST", database.host());
        childEnv.put("DB_PORT", Integer.toString(database.port()));
        childEnv.put("DB_USER", database.user());
        childEnv.put("DB_PASSWORD", database.password());
        if (database.isEmbedded()) {
            childEnv.put("DB_SSL_MODE", "DISABLED"); // loopback only; saves a TLS handshake per connection
        }
        // A local run: queue-service may sign and the gateway verify with the committed development key, which
        // they refuse elsewhere. TOKEN_SIGNING_KEY and TOKEN_VERIFICATION_KEYS, when set, still win.
        childEnv.putIfAbsent("TOKEN_DEVELOPMENT_KEY_ALLOWED", "true");
        if (s.schema() != null) {
            childEnv.put("DB_NAME", s.schema());
        }
        if (s.module().equals("concert-service") && !"false".equals(env.get("STACK_DEMO_DATA"))) {
            childEnv.putIfAbsent("SPRING_PROFILES_ACTIVE", "demo"); // a few concerts to buy tickets for
        }
        if (s.module().equals(Topology.GATEWAY) && topology.gatewayBehindProxy()) {
            // Behind the load balancer, the client's address is the one it adds to X-Forwarded-For.
            childEnv.putIfAbsent("RATE_LIMIT_TRUSTED_PROXY_HOPS", "1");
        }
        for (Service other : Topology.SERVICES) {
            if (other.schema() != null) {
                childEnv.put(other.envPrefix() + "_SERVICE_URL", "http://127.0.0.1:" + topology.instancesOf(other).get(0).port());
            }
        }
        return pb;
    }
}
