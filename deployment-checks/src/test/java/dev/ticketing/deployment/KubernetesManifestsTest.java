package dev.ticketing.deployment;

import static dev.ticketing.deployment.KubernetesNetworkPolicies.ANYONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.common.metrics.JmxPrometheusExporterMetrics;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kustomize overlays under k8s/ against the services' own configuration and DESIGN sections 2, 9 and 10.
 * Each overlay is built by kustomize itself where kubectl is installed ({@link Kubectl}) and by
 * {@link KustomizeBuilder} elsewhere, and read strictly into the fabric8, Strimzi and Prometheus operator models;
 * where kubectl is installed, our builder's build is also compared with kustomize's.
 */
class KubernetesManifestsTest {

    private static final Map<String, KubernetesOverlay> BUILT = new ConcurrentHashMap<>();
    private static final Map<String, ServiceConfiguration> CONFIGURATIONS = new ConcurrentHashMap<>();

    private static final String MONITORING = "namespace:kubernetes.io/metadata.name=monitoring";
    private static final Set<String> MANAGEMENT_ONLY = Set.of(MONITORING);

    /** DESIGN section 2: the gateway calls every service; two synchronous /internal calls between services. */
    private static final Map<String, Set<String>> CALLERS = Map.of(
            "gateway", Set.of(ANYONE),
            "queue-service", Set.of("gateway"),
            "concert-service", Set.of("gateway", "reservation-service"),
            "reservation-service", Set.of("gateway", "payment-service"),
            "payment-service", Set.of("gateway"));

    private static final Pattern SLEEP_SECONDS = Pattern.compile("\\d+");

    private static KubernetesOverlay overlay(String name) {
        return BUILT.computeIfAbsent(name, KubernetesOverlay::build);
    }

    private static ServiceConfiguration config(String module) {
        return CONFIGURATIONS.computeIfAbsent(module, ServiceConfiguration::of);
    }

    // ----- reading -----

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyServiceHasItsObjectsAndEveryObjectReadsIntoTheTypedModels(String name) {
        KubernetesOverlay overlay = overlay(name);
        assertThat(overlay.objects()).as("objects of the %s overlay", name).hasSameSizeAs(overlay.trees());
        for (String module : ServiceConfiguration.SERVICES) {
            overlay.get(Deployment.class, module);
            overlay.get(Service.class, module);
            overlay.get(HorizontalPodAutoscaler.class, module);
            overlay.get(PodDisruptionBudget.class, module);
        }
        assertThat(overlay.all(Deployment.class)).as("Deployments of the %s overlay: the five services only", name)
                .extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(ServiceConfiguration.SERVICES);
        assertThat(overlay.objects()).as("every object of the %s overlay is in namespace ticketing", name)
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).as(o.getMetadata().getName())
                        .isEqualTo("ticketing"));
    }

    @Test
    void strictReadingRefusesMisspeltFieldsWrongScalarsAndUnknownKinds() {
        assertRefused("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  template:
                    spec:
                      containers:
                        - name: x
                          readinesProbe: {}
                """, "readinesProbe");
        assertRefused("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  template:
                    spec:
                      containers:
                        - name: x
                          env:
                            - name: TICKETING_MESSAGING_CREATETOPICS
                              value: false
                """, "Boolean");
        assertRefused("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replicas: "3"
                """, "Integer");
        assertRefused("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: Kafka
                metadata: {name: x}
                spec:
                  kafka:
                    listners: []
                """, "listners");
        assertRefused("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata: {name: x}
                spec:
                  partition: 6
                """, "partition");
        assertRefused("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: x}
                """, "autoscaling/v1/HorizontalPodAutoscaler");
    }

    private static void assertRefused(String yaml, String mentioned) {
        Map<String, Object> tree = new Yaml().load(yaml);
        assertThatThrownBy(() -> KubernetesOverlay.parse(tree))
                .as("strict reading of %s", yaml)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(mentioned);
    }

    // ----- the builder itself -----

    @Test
    void builderMergesNamedListsAndAppliesNamespaceLabelsAndImages(@TempDir Path dir) throws IOException {
        Path base = Files.createDirectories(dir.resolve("base"));
        Files.writeString(base.resolve("kustomization.yaml"), """
                labels:
                  - pairs: {team: a}
                    includeSelectors: true
                resources:
                  - app.yaml
                """);
        Files.writeString(base.resolve("app.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: app}
                spec:
                  selector: {matchLabels: {app: app}}
                  template:
                    metadata: {labels: {app: app}}
                    spec:
                      containers:
                        - name: app
                          image: example/app
                          env:
                            - {name: A, value: "1"}
                            - {name: B, value: "2"}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: app}
                spec:
                  podSelector: {}
                  ingress:
                    - from:
                        - podSelector: {matchLabels: {app: caller}}
                """);
        Path overlayDir = Files.createDirectories(dir.resolve("overlay"));
        Files.writeString(overlayDir.resolve("kustomization.yaml"), """
                namespace: there
                resources: [../base]
                patches:
                  - path: patch.yaml
                images:
                  - {name: example/app, newName: registry.test:5000/app, newTag: "2"}
                """);
        Files.writeString(overlayDir.resolve("patch.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: app}
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          env:
                            - {name: B, value: "20"}
                            - {name: C, value: "3"}
                """);

        List<Map<String, Object>> built = KustomizeBuilder.build(overlayDir);

        Map<String, Object> deployment = built.get(0);
        assertThat(at(deployment, "metadata", "namespace")).isEqualTo("there");
        assertThat(at(deployment, "spec", "selector", "matchLabels")).isEqualTo(Map.of("app", "app", "team", "a"));
        Map<?, ?> container = (Map<?, ?>) ((List<?>) at(deployment, "spec", "template", "spec", "containers")).get(0);
        assertThat(container.get("image")).isEqualTo("registry.test:5000/app:2");
        assertThat(container.get("env")).as("env merged by name, the new variable first as kustomize v5 puts it")
                .isEqualTo(List.of(Map.of("name", "C", "value", "3"), Map.of("name", "A", "value", "1"),
                        Map.of("name", "B", "value", "20")));
        Map<String, Object> policy = built.get(1);
        assertThat(at(policy, "spec", "podSelector")).as("an empty pod selector stays empty").isEqualTo(Map.of());
        Map<?, ?> peer = (Map<?, ?>) ((List<?>) ((Map<?, ?>) ((List<?>) at(policy, "spec", "ingress")).get(0))
                .get("from")).get(0);
        assertThat(peer.get("podSelector")).isEqualTo(Map.of("matchLabels", Map.of("app", "caller", "team", "a")));
    }

    @Test
    void builderRefusesDeprecatedFieldsAndWhatItDoesNotUnderstand(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
        Files.writeString(dir.resolve("p.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n");
        for (String deprecated : List.of("bases: [sub]", "patchesStrategicMerge: [p.yaml]", "commonLabels: {a: b}")) {
            Files.writeString(dir.resolve("kustomization.yaml"), "resources: [a.yaml]\n" + deprecated + "\n");
            assertThatThrownBy(() -> KustomizeBuilder.build(dir)).hasMessageContaining("deprecated since kustomize v5");
        }

        Files.writeString(dir.resolve("kustomization.yaml"), "resources: [a.yaml]\nreplicas: [{name: a, count: 2}]\n");
        assertThatThrownBy(() -> KustomizeBuilder.build(dir)).hasMessageContaining("[replicas]");

        Files.writeString(dir.resolve("kustomization.yaml"), "resources: [a.yaml]\npatches: [{path: p.yaml, target: {kind: ConfigMap}}]\n");
        assertThatThrownBy(() -> KustomizeBuilder.build(dir)).hasMessageContaining("only strategic merge patches");

        Files.writeString(dir.resolve("kustomization.yaml"), "resources: [a.yaml]\npatches: [{path: p.yaml}]\n");
        assertThatThrownBy(() -> KustomizeBuilder.build(dir)).hasMessageContaining("matches 0 objects");
    }

    // ----- Deployments against the services' configuration -----

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void deploymentsExposeThePortsTheServicesListenOn(String name) {
        KubernetesOverlay overlay = overlay(name);
        for (String module : ServiceConfiguration.SERVICES) {
            ServiceConfiguration config = config(module);
            Container container = container(overlay, module);
            Map<String, EnvVar> env = env(container);
            int server = effectivePort(env, "SERVER_PORT", config.serverPort());
            int management = effectivePort(env, "MANAGEMENT_PORT", config.managementPort());
            assertThat(container.getPorts()).as("%s container ports in %s: http and management", module, name)
                    .extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("http", server),
                            org.assertj.core.groups.Tuple.tuple("management", management));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void probesAskTheManagementPortForHealthGroupsTheServiceDefines(String name) {
        KubernetesOverlay overlay = overlay(name);
        for (String module : ServiceConfiguration.SERVICES) {
            ServiceConfiguration config = config(module);
            Container container = container(overlay, module);
            int management = effectivePort(env(container), "MANAGEMENT_PORT", config.managementPort());
            assertThat(config.probesEnabled()).as("%s enables the probe health groups", module).isTrue();
            assertThat(config.healthGroup("liveness")).as("%s liveness group", module)
                    .isNotEmpty().doesNotContain("db", "kafka");
            // The database and the broker are shared by every pod: in readiness, one outage would empty every Service.
            assertThat(config.healthGroup("readiness")).as("%s readiness group", module).contains("readinessState")
                    .doesNotContain("db", "kafka");

            assertProbe(module + " livenessProbe", container.getLivenessProbe(), container, management, "liveness");
            assertProbe(module + " readinessProbe", container.getReadinessProbe(), container, management, "readiness");
            assertProbe(module + " startupProbe", container.getStartupProbe(), container, management, "liveness");

            Map<String, String> annotations = pod(overlay, module).getMetadata().getAnnotations();
            assertThat(annotations).as("%s Prometheus annotations in %s", module, name)
                    .containsEntry("prometheus.io/scrape", "true")
                    .containsEntry("prometheus.io/port", String.valueOf(management))
                    .containsEntry("prometheus.io/path", "/actuator/prometheus");
            assertThat(String.valueOf(config.value("management.endpoints.web.exposure.include")))
                    .as("%s exposes the prometheus endpoint", module).contains("prometheus");
        }
    }

    private static void assertProbe(String what, Probe probe, Container container, int managementPort, String group) {
        assertThat(probe).as(what).isNotNull();
        assertThat(probe.getHttpGet()).as(what + " is an HTTP GET").isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(what + " path").isEqualTo("/actuator/health/" + group);
        assertThat(resolvePort(container, probe.getHttpGet().getPort())).as(what + " port").isEqualTo(managementPort);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyVariableSetIsOneTheServiceReads(String name) {
        KubernetesOverlay overlay = overlay(name);
        for (String module : ServiceConfiguration.SERVICES) {
            ServiceConfiguration config = config(module);
            Container container = container(overlay, module);
            assertThat(container.getEnvFrom()).as("%s takes no envFrom (its variables could not be checked)", module)
                    .isEmpty();
            for (String variable : env(container).keySet()) {
                assertTrue(config.reads(variable) || isMessagingProperty(module, variable),
                        () -> module + " in " + name + " sets " + variable + ", which its application.yml does not "
                                + "read (nor is it a ticketing.messaging property of common-messaging)");
            }
            EnvVar profiles = env(container).get("SPRING_PROFILES_ACTIVE");
            if (profiles != null) {
                for (String profile : profiles.getValue().split(",")) {
                    assertThat(ServiceConfiguration.repositoryRoot().resolve(module)
                            .resolve("src/main/resources/application-" + profile.trim() + ".yml"))
                            .as("%s profile %s", module, profile).exists();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void addressesThatDefaultToLocalhostAreSetAndPointAtObjectsOfTheOverlay(String name) {
        KubernetesOverlay overlay = overlay(name);
        Kafka kafka = single(overlay, Kafka.class);
        for (String module : ServiceConfiguration.SERVICES) {
            ServiceConfiguration config = config(module);
            Map<String, EnvVar> env = env(container(overlay, module));
            for (Map.Entry<String, String> variable : config.variables().entrySet()) {
                String localDefault = variable.getValue() == null ? "" : variable.getValue();
                if (localDefault.contains("127.0.0.1") || localDefault.contains("localhost")) {
                    assertThat(env).as("%s in %s must set %s (its default %s is the pod itself)", module, name,
                            variable.getKey(), localDefault).containsKey(variable.getKey());
                }
            }
            for (EnvVar variable : env.values()) {
                if (variable.getName().endsWith("_SERVICE_URL")) {
                    String target = variable.getName().replace("_URL", "").toLowerCase().replace('_', '-');
                    URI uri = URI.create(variable.getValue());
                    assertThat(serverPortBehind(overlay, uri.getHost(), uri.getPort(), target))
                            .as("%s %s=%s reaches %s's HTTP port", module, variable.getName(), uri, target)
                            .contains(config(target).serverPort());
                }
            }
            EnvVar bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS");
            if (bootstrap != null) {
                Set<String> listeners = kafka.getSpec().getKafka().getListeners().stream()
                        .filter(l -> !l.isTls())
                        .map(l -> kafka.getMetadata().getName() + "-kafka-bootstrap:" + l.getPort())
                        .collect(Collectors.toSet());
                assertThat(bootstrap.getValue()).as("%s KAFKA_BOOTSTRAP_SERVERS: Strimzi's bootstrap Service and a "
                        + "plain listener", module).isIn(listeners);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void credentialsAndKeysComeFromSecretsAndTopicsFromStrimzi(String name) {
        KubernetesOverlay overlay = overlay(name);
        for (String module : ServiceConfiguration.SERVICES) {
            Map<String, EnvVar> env = env(container(overlay, module));
            List<String> secretVariables = new ArrayList<>();
            if (ServiceConfiguration.SERVICES_WITH_DATABASE.contains(module)) {
                secretVariables.addAll(List.of("DB_USER", "DB_PASSWORD"));
            }
            Stream.of("TOKEN_SIGNING_KEY", "TOKEN_VERIFICATION_KEYS")
                    .filter(config(module)::reads).forEach(secretVariables::add);
            for (String variable : secretVariables) {
                assertThat(env.get(variable)).as("%s sets %s", module, variable).isNotNull();
                assertThat(env.get(variable).getValueFrom()).as("%s %s comes from a Secret", module, variable)
                        .isNotNull();
                assertThat(env.get(variable).getValueFrom().getSecretKeyRef()).as("%s %s secretKeyRef", module,
                        variable).isNotNull();
            }
            assertThat(env).as("%s: the committed development token key is for local runs, never a cluster", module)
                    .doesNotContainKey("TOKEN_DEVELOPMENT_KEY_ALLOWED");
            if (env.containsKey("OUTBOX_TEST_SWITCH")) {
                assertThat(env.get("OUTBOX_TEST_SWITCH").getValue()).as("%s test-only outbox switch", module)
                        .isNotEqualToIgnoringCase("true");
            }
            if (config(module).reads("KAFKA_BOOTSTRAP_SERVERS")) {
                assertThat(env.get("TICKETING_MESSAGING_CREATETOPICS")).as("%s leaves the topics to Strimzi", module)
                        .isNotNull()
                        .extracting(EnvVar::getValue).isEqualTo("false");
            }
        }
        Map<String, Set<String>> secretReaders = new TreeMap<>();
        overlay.workloads().forEach((workload, pod) -> references(pod).stream()
                .filter(r -> r.kind().equals("Secret"))
                .forEach(r -> secretReaders.computeIfAbsent(r.name(), k -> new TreeSet<>()).add(workload)));
        assertThat(secretReaders.get("token-signing-key")).as("pods given the private token key")
                .containsExactly("queue-service");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void referencedSecretsAndConfigMapsExistOrAreDocumentedAsExternal(String name) throws IOException {
        KubernetesOverlay overlay = overlay(name);
        List<String> readme = Files.readAllLines(ServiceConfiguration.repositoryRoot().resolve("k8s/README.md"));
        for (Map.Entry<String, PodTemplateSpec> workload : overlay.workloads().entrySet()) {
            for (Reference reference : references(workload.getValue())) {
                String what = workload.getKey() + " in " + name + " reads " + reference;
                Optional<Map<String, String>> data = reference.kind().equals("Secret")
                        ? overlay.find(Secret.class, reference.name()).map(KubernetesManifestsTest::secretData)
                        : overlay.find(ConfigMap.class, reference.name()).map(ConfigMap::getData);
                if (data.isPresent()) {
                    if (reference.key() != null) {
                        assertThat(data.get()).as(what).containsKey(reference.key());
                    }
                } else {
                    assertThat(name).as(what + ", which the overlay does not define").isEqualTo("production");
                    assertThat(reference.kind()).as(what + ": only Secrets may be external").isEqualTo("Secret");
                    assertThat(readme).as(what + ": k8s/README.md must list it with the key on one line")
                            .anyMatch(line -> line.contains("`" + reference.name() + "`")
                                    && (reference.key() == null || line.contains("`" + reference.key() + "`")));
                }
            }
        }
    }

    // ----- Services, autoscalers, disruption budgets -----

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void servicesSelectOneWorkloadAndTargetItsPorts(String name) {
        KubernetesOverlay overlay = overlay(name);
        for (Service service : overlay.all(Service.class)) {
            String serviceName = service.getMetadata().getName();
            assertThat(service.getSpec().getSelector()).as("%s selector", serviceName).isNotEmpty();
            Set<String> selected = overlay.workloadsSelectedBy(KubernetesOverlay.selectorOf(service.getSpec().getSelector()));
            assertThat(selected).as("workloads Service %s selects in %s", serviceName, name).hasSize(1);
            PodTemplateSpec pod = overlay.workloads().get(selected.iterator().next());
            for (ServicePort port : service.getSpec().getPorts()) {
                IntOrString target = port.getTargetPort() == null ? new IntOrString(port.getPort()) : port.getTargetPort();
                assertThat(resolvePort(pod.getSpec().getContainers().get(0), target))
                        .as("Service %s port %s targets a container port", serviceName, port.getName()).isNotNull();
            }
        }
        for (String module : ServiceConfiguration.SERVICES) {
            assertThat(serverPortBehind(overlay, module, config(module).serverPort(), module))
                    .as("Service %s port %s reaches %s's HTTP port", module, config(module).serverPort(), module)
                    .contains(config(module).serverPort());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void autoscalersAndDisruptionBudgetsCoverEveryDeployment(String name) {
        KubernetesOverlay overlay = overlay(name);
        for (HorizontalPodAutoscaler hpa : overlay.all(HorizontalPodAutoscaler.class)) {
            var target = hpa.getSpec().getScaleTargetRef();
            assertThat(target.getApiVersion() + "/" + target.getKind()).as("HPA %s target", hpa.getMetadata().getName())
                    .isEqualTo("apps/v1/Deployment");
            overlay.get(Deployment.class, target.getName());
        }
        for (Deployment deployment : overlay.all(Deployment.class)) {
            String module = deployment.getMetadata().getName();
            List<HorizontalPodAutoscaler> hpas = overlay.all(HorizontalPodAutoscaler.class).stream()
                    .filter(h -> h.getSpec().getScaleTargetRef().getName().equals(module)).toList();
            assertThat(hpas).as("autoscalers of %s in %s", module, name).hasSize(1);
            var spec = hpas.get(0).getSpec();
            assertThat(spec.getMinReplicas()).as("%s minReplicas", module).isNotNull().isPositive()
                    .isLessThanOrEqualTo(spec.getMaxReplicas());
            assertThat(deployment.getSpec().getReplicas()).as("%s replicas: the autoscaler owns the count (a re-apply "
                    + "would reset it, replacing warm pods with cold ones mid-sale)", module).isNull();
            assertThat(spec.getMetrics()).as("%s autoscaler metrics", module)
                    .anyMatch(m -> m.getResource() != null && "cpu".equals(m.getResource().getName()));

            List<PodDisruptionBudget> budgets = overlay.all(PodDisruptionBudget.class).stream()
                    .filter(b -> KubernetesOverlay.selects(b.getSpec().getSelector(),
                            deployment.getSpec().getTemplate().getMetadata().getLabels()))
                    .toList();
            assertThat(budgets).as("disruption budgets covering %s in %s", module, name).hasSize(1);
            var budget = budgets.get(0).getSpec();
            boolean drainable = budget.getMaxUnavailable() != null
                    ? intValue(budget.getMaxUnavailable()) >= 1
                    : intValue(budget.getMinAvailable()) < spec.getMinReplicas();
            assertThat(drainable).as("%s budget lets a node drain with %s replicas", module, spec.getMinReplicas())
                    .isTrue();
        }
        for (PodDisruptionBudget budget : overlay.all(PodDisruptionBudget.class)) {
            assertThat(overlay.workloadsSelectedBy(budget.getSpec().getSelector()))
                    .as("workloads PDB %s selects", budget.getMetadata().getName()).hasSize(1);
        }
    }

    // ----- pod hardening and shutdown -----

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyContainerRunsLockedDownWithResources(String name) {
        KubernetesOverlay overlay = overlay(name);
        for (Map.Entry<String, PodTemplateSpec> workload : overlay.workloads().entrySet()) {
            PodSpec pod = workload.getValue().getSpec();
            PodSecurityContext podSecurity = Optional.ofNullable(pod.getSecurityContext()).orElseGet(PodSecurityContext::new);
            assertThat(pod.getAutomountServiceAccountToken()).as("%s mounts no API token", workload.getKey()).isFalse();
            assertThat(pod.getEnableServiceLinks()).as("%s service links", workload.getKey()).isFalse();
            List<Container> containers = new ArrayList<>(pod.getContainers());
            containers.addAll(pod.getInitContainers());
            for (Container container : containers) {
                String what = workload.getKey() + "/" + container.getName() + " in " + name;
                SecurityContext security = Optional.ofNullable(container.getSecurityContext()).orElseGet(SecurityContext::new);
                assertThat(first(security.getRunAsNonRoot(), podSecurity.getRunAsNonRoot())).as(what + " runAsNonRoot")
                        .isTrue();
                assertThat(first(security.getRunAsUser(), podSecurity.getRunAsUser())).as(what + " numeric runAsUser")
                        .isNotNull().isPositive();
                assertThat(security.getReadOnlyRootFilesystem()).as(what + " readOnlyRootFilesystem").isTrue();
                assertThat(security.getAllowPrivilegeEscalation()).as(what + " allowPrivilegeEscalation").isFalse();
                assertThat(security.getPrivileged()).as(what + " privileged").isNotEqualTo(Boolean.TRUE);
                assertThat(security.getCapabilities()).as(what + " capabilities").isNotNull();
                assertThat(security.getCapabilities().getDrop()).as(what + " drops").contains("ALL");
                assertThat(security.getCapabilities().getAdd()).as(what + " adds").isEmpty();
                var seccomp = first(security.getSeccompProfile(), podSecurity.getSeccompProfile());
                assertThat(seccomp).as(what + " seccomp profile").isNotNull();
                assertThat(seccomp.getType()).as(what + " seccomp profile").isEqualTo("RuntimeDefault");

                Optional<VolumeMount> tmp = container.getVolumeMounts().stream()
                        .filter(m -> m.getMountPath().equals("/tmp")).findFirst();
                assertThat(tmp).as(what + " has a writable /tmp").isPresent();
                assertThat(pod.getVolumes()).as(what + " /tmp is an emptyDir")
                        .anyMatch(v -> v.getName().equals(tmp.get().getName()) && v.getEmptyDir() != null);

                ResourceRequirements resources = container.getResources();
                assertThat(resources).as(what + " resources").isNotNull();
                for (String resource : List.of("cpu", "memory")) {
                    Quantity request = resources.getRequests().get(resource);
                    Quantity limit = resources.getLimits().get(resource);
                    assertThat(request).as(what + " requests " + resource).isNotNull();
                    assertThat(limit).as(what + " limits " + resource).isNotNull();
                    assertThat(amount(request)).as(what + " " + resource + " request within its limit")
                            .isLessThanOrEqualTo(amount(limit));
                }
                if (ServiceConfiguration.SERVICES.contains(workload.getKey())) {
                    // The JVM sizes its heap from the limit: memory granted below it would be overcommitted.
                    assertThat(amount(resources.getRequests().get("memory"))).as(what + " memory request equals its limit")
                            .isEqualByComparingTo(amount(resources.getLimits().get("memory")));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void podsOutliveTheServicesGracefulShutdown(String name) {
        KubernetesOverlay overlay = overlay(name);
        for (String module : ServiceConfiguration.SERVICES) {
            ServiceConfiguration config = config(module);
            assertThat(config.value("server.shutdown")).as("%s server.shutdown", module).isEqualTo("graceful");
            Duration phase = springDuration(config.resolved("spring.lifecycle.timeout-per-shutdown-phase"));
            Container container = container(overlay, module);
            assertThat(container.getLifecycle()).as("%s lifecycle", module).isNotNull();
            long sleep = preStopSleepSeconds(module, container);
            assertThat(sleep).as("%s preStop sleep (seconds)", module).isBetween(1L, 15L);
            Long grace = pod(overlay, module).getSpec().getTerminationGracePeriodSeconds();
            assertThat(grace).as("%s terminationGracePeriodSeconds in %s: above the preStop sleep (%ss) plus the "
                    + "shutdown phase timeout (%s)", module, name, sleep, phase)
                    .isNotNull().isGreaterThan(sleep + phase.toSeconds());
        }
    }

    // ----- Kafka -----

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void kafkaTopicsAreTheEventTopicsAndOneDeadLetterTopicPerConsumer(String name) throws IOException {
        KubernetesOverlay overlay = overlay(name);
        Kafka kafka = single(overlay, Kafka.class);
        TopicContract contract = TopicContract.read();
        Set<String> expected = new TreeSet<>(contract.topics());
        for (String module : ServiceConfiguration.SERVICES) {
            ServiceConfiguration config = config(module);
            Object consumes = config.value("ticketing.messaging.consumes");
            String group = config.value("spring.kafka.consumer.group-id") != null
                    ? config.resolved("spring.kafka.consumer.group-id") : config.resolved("spring.application.name");
            assertThat(group).as("%s consumer group is the module name (DESIGN section 2)", module).isEqualTo(module);
            if (consumes instanceof List<?> topics) {
                for (Object topic : topics) {
                    assertThat(contract.topics()).as("%s consumes a topic of the contract", module).contains(String.valueOf(topic));
                    expected.add(topic + "." + group + ".DLT");
                }
            }
        }
        Map<String, KafkaTopic> actual = new TreeMap<>();
        for (KafkaTopic topic : overlay.all(KafkaTopic.class)) {
            String topicName = Optional.ofNullable(topic.getSpec().getTopicName()).orElse(topic.getMetadata().getName());
            assertThat(actual.put(topicName, topic)).as("topic %s declared twice", topicName).isNull();
        }
        assertThat(actual.keySet()).as("KafkaTopics of the %s overlay", name).isEqualTo(expected);
        for (Map.Entry<String, KafkaTopic> entry : actual.entrySet()) {
            KafkaTopic topic = entry.getValue();
            assertThat(topic.getMetadata().getLabels()).as("%s belongs to the Kafka cluster", entry.getKey())
                    .containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
            assertThat(topic.getSpec().getPartitions()).as("%s partitions", entry.getKey())
                    .isEqualTo(contract.partitions());
            if (contract.topics().contains(entry.getKey())) {
                Object retention = topic.getSpec().getConfig().get("retention.ms");
                assertThat(retention).as("%s retention.ms is set", entry.getKey()).isNotNull();
                assertThat(Duration.ofMillis(Long.parseLong(retention.toString())))
                        .as("%s retention is at most the %s for which consumers remember processed ids (DESIGN "
                                + "section 9)", entry.getKey(), contract.processedRetention())
                        .isLessThanOrEqualTo(contract.processedRetention());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void kafkaRunsTheVersionTheTestsAndComposeRunAndExportsItsMetrics(String name) throws IOException {
        KubernetesOverlay overlay = overlay(name);
        Kafka kafka = single(overlay, Kafka.class);
        String tested = System.getProperty("ticketing.kafka.version");
        assertThat(tested).as("the build names the Kafka version the tests run (surefire's ticketing.kafka.version)")
                .isNotBlank();
        assertThat(kafka.getSpec().getKafka().getVersion()).as("Kafka version Strimzi runs").isEqualTo(tested);
        String minor = tested.substring(0, tested.lastIndexOf('.'));
        assertThat(kafka.getSpec().getKafka().getMetadataVersion()).as("KRaft metadata version").startsWith(minor + "-IV");
        assertThat(Files.readString(ServiceConfiguration.repositoryRoot().resolve("docker-compose.yml")))
                .as("compose's broker image").contains("image: apache/kafka:" + tested + "\n");

        var metrics = kafka.getSpec().getKafka().getMetricsConfig();
        assertThat(metrics).as("Kafka metrics exported").isInstanceOf(JmxPrometheusExporterMetrics.class);
        var source = ((JmxPrometheusExporterMetrics) metrics).getValueFrom().getConfigMapKeyRef();
        ConfigMap rules = overlay.get(ConfigMap.class, source.getName());
        assertThat(rules.getData()).as("JMX exporter rules").containsKey(source.getKey());
        Map<String, Object> parsed = new Yaml().load(rules.getData().get(source.getKey()));
        assertThat(parsed).as("JMX exporter rules").containsKey("rules");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void kafkaRunsInKraftModeWithReplicationTheNodesCanHold(String name) {
        KubernetesOverlay overlay = overlay(name);
        Kafka kafka = single(overlay, Kafka.class);
        String cluster = kafka.getMetadata().getName();
        assertThat(kafka.getMetadata().getAnnotations()).as("Kafka %s uses node pools", cluster)
                .containsEntry("strimzi.io/node-pools", "enabled");
        assertThat(kafka.getSpec().getZookeeper()).as("no ZooKeeper: KRaft").isNull();
        assertThat(kafka.getSpec().getEntityOperator()).as("entity operator").isNotNull();
        assertThat(kafka.getSpec().getEntityOperator().getTopicOperator())
                .as("the topic operator, without which the KafkaTopics are ignored").isNotNull();

        List<KafkaNodePool> pools = overlay.all(KafkaNodePool.class).stream()
                .filter(p -> cluster.equals(p.getMetadata().getLabels().get("strimzi.io/cluster"))).toList();
        assertThat(pools).as("node pools of %s", cluster).hasSameSizeAs(overlay.all(KafkaNodePool.class)).isNotEmpty();
        assertThat(pools.stream().flatMap(p -> p.getSpec().getRoles().stream()).collect(Collectors.toSet()))
                .as("roles of %s's node pools", cluster).contains(ProcessRoles.CONTROLLER, ProcessRoles.BROKER);
        int brokers = pools.stream().filter(p -> p.getSpec().getRoles().contains(ProcessRoles.BROKER))
                .mapToInt(p -> p.getSpec().getReplicas()).sum();
        if (name.equals("local")) {
            assertThat(brokers).as("local Kafka nodes").isEqualTo(1);
        } else {
            assertThat(brokers).as("production Kafka brokers").isGreaterThanOrEqualTo(3);
        }

        Map<String, Object> config = kafka.getSpec().getKafka().getConfig();
        int replication = intConfig(config, "default.replication.factor");
        int minInSync = intConfig(config, "min.insync.replicas");
        assertThat(replication).as("default.replication.factor with %s brokers", brokers).isBetween(1, brokers);
        assertThat(minInSync).as("min.insync.replicas with replication %s: one replica may be down", replication)
                .isBetween(1, Math.max(1, replication - 1));
        for (String key : List.of("offsets.topic.replication.factor", "transaction.state.log.replication.factor")) {
            assertThat(intConfig(config, key)).as("%s with %s brokers", key, brokers).isBetween(1, brokers);
        }
        assertThat(intConfig(config, "transaction.state.log.min.isr")).as("transaction.state.log.min.isr")
                .isLessThanOrEqualTo(intConfig(config, "transaction.state.log.replication.factor"));
        assertThat(String.valueOf(config.get("auto.create.topics.enable"))).as("topics only from KafkaTopics")
                .isEqualTo("false");
        for (KafkaTopic topic : overlay.all(KafkaTopic.class)) {
            if (topic.getSpec().getReplicas() != null) {
                assertThat(topic.getSpec().getReplicas()).as("%s replicas", topic.getMetadata().getName())
                        .isBetween(1, brokers);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void kafkaListenersAdmitOnlyTheServicesThatUseKafka(String name) {
        KubernetesOverlay overlay = overlay(name);
        KubernetesNetworkPolicies policies = new KubernetesNetworkPolicies(overlay);
        Set<String> clients = ServiceConfiguration.SERVICES.stream()
                .filter(m -> config(m).reads("KAFKA_BOOTSTRAP_SERVERS")).collect(Collectors.toCollection(TreeSet::new));
        Set<String> configured = ServiceConfiguration.SERVICES.stream()
                .filter(m -> env(container(overlay, m)).containsKey("KAFKA_BOOTSTRAP_SERVERS"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(configured).as("services given KAFKA_BOOTSTRAP_SERVERS").isEqualTo(clients);
        for (GenericKafkaListener listener : single(overlay, Kafka.class).getSpec().getKafka().getListeners()) {
            assertThat(listener.getNetworkPolicyPeers()).as("listener %s networkPolicyPeers (else open to all)",
                    listener.getName()).isNotEmpty();
            assertThat(policies.sourcesOf(listener.getNetworkPolicyPeers()))
                    .as("pods admitted to Kafka listener %s in %s", listener.getName(), name).isEqualTo(clients);
        }
    }

    // ----- network policies -----

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void networkPoliciesAdmitOnlyTheDocumentedCallers(String name) {
        KubernetesOverlay overlay = overlay(name);
        KubernetesNetworkPolicies policies = new KubernetesNetworkPolicies(overlay);
        assertThat(policies.hasDefaultDeny()).as("a deny-all ingress policy over every pod of %s", name).isTrue();
        assertThat(policies.policiesSelectingNothing()).as("policies that select no pod").isEmpty();
        assertThat(policies.rulePortsMatchingNoContainerPort()).as("rule ports no selected pod has").isEmpty();

        Map<String, Set<String>> expected = new TreeMap<>();
        Map<String, Set<String>> actual = new TreeMap<>();
        for (Map.Entry<String, PodTemplateSpec> workload : overlay.workloads().entrySet()) {
            for (ContainerPort port : KubernetesNetworkPolicies.containerPorts(workload.getValue())) {
                String key = workload.getKey() + ":" + port.getName();
                actual.put(key, policies.admittedTo(workload.getKey(), port.getName()));
                expected.put(key, expectedCallers(workload.getKey(), port.getName()));
            }
        }
        assertThat(actual).as("who reaches which port in %s (DESIGN section 2; %s means any source)", name, ANYONE)
                .isEqualTo(expected);
    }

    private static Set<String> expectedCallers(String workload, String port) {
        if (ServiceConfiguration.SERVICES.contains(workload)) {
            return port.equals("management") ? MANAGEMENT_ONLY : CALLERS.get(workload);
        }
        if (workload.equals("mysql")) {
            return new TreeSet<>(ServiceConfiguration.SERVICES_WITH_DATABASE);
        }
        throw new AssertionError("no stated callers for " + workload + ":" + port + "; add them to this test");
    }

    // ----- the two overlays' own promises -----

    @Test
    void localOverlayRunsSmallWithItsOwnMysqlAndTheDevelopmentKeys() throws IOException {
        KubernetesOverlay local = overlay("local");
        for (HorizontalPodAutoscaler hpa : local.all(HorizontalPodAutoscaler.class)) {
            assertThat(hpa.getSpec().getMinReplicas()).as("%s local replicas", hpa.getMetadata().getName()).isEqualTo(1);
        }

        StatefulSet mysql = local.get(StatefulSet.class, "mysql");
        Container server = mysql.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(server.getImage()).as("MySQL image").startsWith("mysql:8.4");
        Service headless = local.get(Service.class, mysql.getSpec().getServiceName());
        assertThat(headless.getSpec().getClusterIP()).as("the StatefulSet's Service is headless").isEqualTo("None");
        assertThat(local.workloadsSelectedBy(KubernetesOverlay.selectorOf(headless.getSpec().getSelector())))
                .containsExactly("mysql");
        assertThat(mysql.getSpec().getVolumeClaimTemplates()).as("MySQL volume claim templates").hasSize(1);
        String claim = mysql.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName();
        assertThat(server.getVolumeMounts()).as("MySQL data on the claimed volume")
                .anyMatch(m -> m.getName().equals(claim) && m.getMountPath().equals("/var/lib/mysql"));
        VolumeMount initMount = server.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals("/docker-entrypoint-initdb.d")).findFirst()
                .orElseThrow(() -> new AssertionError("MySQL has no init script mounted"));
        Volume initVolume = mysql.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(initMount.getName())).findFirst().orElseThrow();
        assertThat(initVolume.getConfigMap()).as("init scripts from a ConfigMap").isNotNull();
        String sql = String.join("\n", local.get(ConfigMap.class, initVolume.getConfigMap().getName()).getData().values());

        Map<String, String> database = secretData(local.get(Secret.class, "ticketing-database"));
        assertThat(database).as("local database address").containsEntry("host", headless.getMetadata().getName());
        assertThat(headless.getSpec().getPorts()).as("MySQL Service port")
                .anyMatch(p -> String.valueOf(p.getPort()).equals(database.get("port")));
        Set<String> schemas = new TreeSet<>();
        Matcher created = Pattern.compile("CREATE DATABASE IF NOT EXISTS (\\w+)").matcher(sql);
        while (created.find()) {
            schemas.add(created.group(1));
        }
        assertThat(schemas).as("schemas the init script creates")
                .isEqualTo(ServiceConfiguration.SERVICES_WITH_DATABASE.stream()
                        .map(m -> config(m).databaseName().orElseThrow()).collect(Collectors.toSet()));
        for (String module : ServiceConfiguration.SERVICES_WITH_DATABASE) {
            Map<String, String> credentials = secretData(local.get(Secret.class, module + "-db"));
            String user = credentials.get("username");
            assertThat(sql).as("%s user and password in the init script match its Secret", module)
                    .contains("CREATE USER IF NOT EXISTS '" + user + "'@'%' IDENTIFIED BY '"
                            + credentials.get("password") + "'");
            assertThat(sql).as("%s user may use its schema", module)
                    .contains("ON " + config(module).databaseName().orElseThrow() + ".* TO '" + user + "'@'%'");
        }

        ObjectMapper json = new ObjectMapper();
        Path root = ServiceConfiguration.repositoryRoot();
        JsonNode signingKey = json.readTree(secretData(local.get(Secret.class, "token-signing-key")).get("jwk"));
        JsonNode verificationKeys = json.readTree(secretData(local.get(Secret.class, "token-verification-keys")).get("jwks"));
        assertThat(signingKey).as("local signing key is queue-service's development key")
                .isEqualTo(json.readTree(root.resolve("queue-service/src/main/resources/dev-keys/token-signing-key.jwk.json").toFile()));
        assertThat(verificationKeys).as("local verification keys are the gateway's development keys")
                .isEqualTo(json.readTree(root.resolve("gateway/src/main/resources/dev-keys/token-verification-keys.jwks.json").toFile()));
        assertThat(verificationKeys.get("keys")).as("verification keys hold the signing key's public part only")
                .anyMatch(k -> k.get("kid").equals(signingKey.get("kid")) && k.get("x").equals(signingKey.get("x"))
                        && k.get("y").equals(signingKey.get("y")))
                .noneMatch(k -> k.has("d"));
    }

    @Test
    void productionOverlayScalesOutAndCarriesNoSecretsAndNoDatabase() {
        KubernetesOverlay production = overlay("production");
        KubernetesOverlay local = overlay("local");
        assertThat(production.all(Secret.class)).as("Secrets committed for production").isEmpty();
        assertThat(production.all(StatefulSet.class)).as("databases run by the production overlay").isEmpty();
        for (String module : ServiceConfiguration.SERVICES) {
            Map<String, EnvVar> env = env(container(production, module));
            assertThat(env.get("LOGGING_STRUCTURED_FORMAT_CONSOLE")).as("%s logs JSON in production", module).isNotNull()
                    .extracting(EnvVar::getValue).isIn("ecs", "logstash", "gelf");
            assertThat(env.get("TRACING_SAMPLING_PROBABILITY")).as("%s samples traces in production", module).isNotNull()
                    .extracting(v -> Double.parseDouble(v.getValue())).satisfies(p -> assertThat(p).isBetween(0.0, 0.5));
            var hpa = production.get(HorizontalPodAutoscaler.class, module).getSpec();
            assertThat(hpa.getMinReplicas()).as("%s production replicas", module).isGreaterThanOrEqualTo(2)
                    .isGreaterThan(local.get(HorizontalPodAutoscaler.class, module).getSpec().getMinReplicas());
            assertThat(hpa.getMaxReplicas()).as("%s production autoscaler has room to grow", module)
                    .isGreaterThan(hpa.getMinReplicas());
            Container container = container(production, module);
            assertThat(amount(container.getResources().getRequests().get("memory")))
                    .as("%s production memory request", module)
                    .isGreaterThan(amount(container(local, module).getResources().getRequests().get("memory")));
            String image = container.getImage();
            String tag = image.substring(image.lastIndexOf('/') + 1).contains(":")
                    ? image.substring(image.lastIndexOf(':') + 1) : "";
            assertThat(tag).as("%s production image %s has a version tag", module, image)
                    .isNotEmpty().isNotIn("latest", "local");
            if (ServiceConfiguration.SERVICES_WITH_DATABASE.contains(module)) {
                assertThat(env(container).get("DB_SSL_MODE")).as("%s DB_SSL_MODE in production", module).isNotNull()
                        .extracting(EnvVar::getValue).isIn("REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY");
            }
        }
    }

    // ----- kubectl, where installed -----

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void ourBuilderBuildsWhatKubectlKustomizeBuilds(String name) {
        assumeTrue(Kubectl.available(), "kubectl is not on the PATH: the overlays were built by our builder alone");
        Path dir = KubernetesOverlay.directory(name);
        Map<String, Object> theirs = new TreeMap<>();
        Kubectl.kustomize(dir).forEach(tree -> theirs.put(KustomizeBuilder.id(tree), normalized(tree)));
        Map<String, Object> ours = new TreeMap<>();
        KustomizeBuilder.build(dir).forEach(tree -> ours.put(KustomizeBuilder.id(tree), normalized(tree)));

        assertThat(ours.keySet()).as("objects (kind/namespace/name) of %s: ours and kustomize %s's", name,
                Kubectl.kustomizeVersion()).isEqualTo(theirs.keySet());
        for (String id : ours.keySet()) {
            assertThat(ours.get(id)).as("%s as built by us and by kubectl kustomize", id).isEqualTo(theirs.get(id));
        }
    }

    // ----- monitoring (k8s/monitoring) -----

    @Test
    void monitoringScrapesEveryServiceAndTheBrokersAndAlertsOnWhatTheDocsSayToWatch() {
        Path dir = ServiceConfiguration.repositoryRoot().resolve("k8s/monitoring");
        // kustomize makes the dashboard's ConfigMap (a generator); without kubectl, the other files are read as they are.
        List<HasMetadata> objects = Kubectl.available()
                ? KubernetesOverlay.build("monitoring", dir).objects()
                : Stream.of("pod-monitors.yaml", "rules.yaml")
                        .flatMap(file -> KustomizeBuilder.documents(dir.resolve(file)).stream())
                        .map(KubernetesOverlay::parse).toList();
        KubernetesOverlay production = overlay("production");

        PodMonitor services = find(objects, PodMonitor.class, "ticketing-services");
        for (String module : ServiceConfiguration.SERVICES) {
            PodTemplateSpec pod = pod(production, module);
            assertThat(KubernetesOverlay.selects(services.getSpec().getSelector(), pod.getMetadata().getLabels()))
                    .as("the services' PodMonitor selects %s's pods", module).isTrue();
            for (var endpoint : services.getSpec().getPodMetricsEndpoints()) {
                assertThat(container(production, module).getPorts()).as("%s has the port the PodMonitor scrapes", module)
                        .anyMatch(port -> endpoint.getPort().equals(port.getName()));
                assertThat(endpoint.getPath()).isEqualTo("/actuator/prometheus");
            }
        }
        PodMonitor brokers = find(objects, PodMonitor.class, "ticketing-kafka");
        assertThat(brokers.getSpec().getSelector().getMatchLabels()).as("the brokers' PodMonitor selects the Kafka pods")
                .containsEntry("strimzi.io/cluster", single(production, Kafka.class).getMetadata().getName());

        PrometheusRule rules = find(objects, PrometheusRule.class, "ticketing");
        Map<String, String> alerts = new TreeMap<>();
        rules.getSpec().getGroups().forEach(group -> group.getRules().forEach(rule ->
                alerts.put(rule.getAlert(), rule.getExpr().getStrVal())));
        assertThat(alerts.values()).as("alert expressions").allSatisfy(expr -> assertThat(expr).isNotBlank());
        assertThat(String.join("\n", alerts.values())).as("what docs/operations.md says to watch")
                .contains("messaging_dead_letter_total", "outbox_oldest_unsent_age_seconds",
                        "kafka_consumer_fetch_manager_records_lag_max", "resilience4j_circuitbreaker_state{state=\"open\"}",
                        "http_server_requests_seconds_count", "queue_admission_paused", "gateway_requests_shed_total");
        for (HasMetadata object : List.of(services, brokers, rules)) {
            assertThat(object.getMetadata().getNamespace()).as("%s namespace", object.getMetadata().getName())
                    .isEqualTo("ticketing");
            assertThat(object.getMetadata().getLabels()).as("%s is picked up by kube-prometheus-stack's release selector",
                    object.getMetadata().getName()).containsKey("release");
        }

        if (Kubectl.available()) {
            ConfigMap dashboard = find(objects, ConfigMap.class, "ticketing-grafana-dashboard");
            assertThat(dashboard.getMetadata().getNamespace()).as("the dashboard beside Grafana's sidecar").isEqualTo("monitoring");
            assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
            assertThat(dashboard.getData().get("ticketing-dashboard.json")).contains("\"uid\": \"concert-ticketing\"");
        }
    }

    private static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast)
                .filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("k8s/monitoring has no " + type.getSimpleName() + " " + name));
    }

    /** Lists of named items sorted by name: their order is not part of what a build means. */
    private static Object normalized(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> result = new TreeMap<>();
            map.forEach((k, v) -> result.put(k.toString(), normalized(v)));
            return result;
        }
        if (node instanceof List<?> list) {
            List<Object> result = list.stream().map(KubernetesManifestsTest::normalized)
                    .collect(Collectors.toCollection(ArrayList::new));
            if (result.stream().allMatch(item -> item instanceof Map<?, ?> m && m.get("name") instanceof String)) {
                result.sort(Comparator.comparing(item -> (String) ((Map<?, ?>) item).get("name")));
            }
            return result;
        }
        return node;
    }

    // ----- helpers -----

    private static Container container(KubernetesOverlay overlay, String module) {
        List<Container> containers = pod(overlay, module).getSpec().getContainers();
        assertThat(containers).as("%s containers in %s", module, overlay.name())
                .extracting(Container::getName).containsExactly(module);
        return containers.get(0);
    }

    private static PodTemplateSpec pod(KubernetesOverlay overlay, String module) {
        return overlay.get(Deployment.class, module).getSpec().getTemplate();
    }

    private static Map<String, EnvVar> env(Container container) {
        Map<String, EnvVar> env = new LinkedHashMap<>();
        for (EnvVar variable : container.getEnv()) {
            assertThat(env.put(variable.getName(), variable)).as("%s sets %s twice", container.getName(),
                    variable.getName()).isNull();
        }
        return env;
    }

    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T single(KubernetesOverlay overlay,
                                                                                  Class<T> type) {
        assertThat(overlay.all(type)).as("%s objects in %s", type.getSimpleName(), overlay.name()).hasSize(1);
        return overlay.all(type).get(0);
    }

    private static int effectivePort(Map<String, EnvVar> env, String variable, int localDefault) {
        EnvVar set = env.get(variable);
        return set == null ? localDefault : Integer.parseInt(set.getValue());
    }

    /** A port given by name or number, as a container port number of that container; null if there is none. */
    private static Integer resolvePort(Container container, IntOrString port) {
        if (port.getStrVal() != null) {
            return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                    .map(ContainerPort::getContainerPort).findFirst().orElse(null);
        }
        return container.getPorts().stream().map(ContainerPort::getContainerPort)
                .filter(port.getIntVal()::equals).findFirst().orElse(null);
    }

    /**
     * The container port that Service {@code host} forwards {@code port} to, provided the Service selects the pods
     * of Deployment {@code module}; empty otherwise.
     */
    private static Optional<Integer> serverPortBehind(KubernetesOverlay overlay, String host, int port, String module) {
        Optional<Service> service = overlay.find(Service.class, host);
        if (service.isEmpty()) {
            return Optional.empty();
        }
        Set<String> selected = overlay.workloadsSelectedBy(KubernetesOverlay.selectorOf(service.get().getSpec().getSelector()));
        if (!selected.equals(Set.of(module))) {
            return Optional.empty();
        }
        Container container = container(overlay, module);
        return service.get().getSpec().getPorts().stream()
                .filter(p -> p.getPort() == port)
                .map(p -> p.getTargetPort() == null ? new IntOrString(p.getPort()) : p.getTargetPort())
                .map(target -> resolvePort(container, target))
                .filter(Objects::nonNull)
                .findFirst();
    }

    /** ticketing.messaging.* set through relaxed binding, for a module that has common-messaging. */
    private static boolean isMessagingProperty(String module, String variable) {
        try {
            String pom = ServiceConfiguration.pomWithParent(module);
            if (!pom.contains("<artifactId>common-messaging</artifactId>")) {
                return false;
            }
            String properties = Files.readString(ServiceConfiguration.repositoryRoot()
                    .resolve("common-messaging/src/main/java/dev/ticketing/messaging/MessagingProperties.java"));
            Matcher component = Pattern.compile("\\b[\\w<>]+\\s+(\\w+)\\s*[,)]").matcher(
                    properties.substring(properties.indexOf("record MessagingProperties(")));
            while (component.find()) {
                if (variable.equals("TICKETING_MESSAGING_" + component.group(1).toUpperCase())) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private record Reference(String kind, String name, String key) {
        @Override
        public String toString() {
            return kind + " " + name + (key == null ? "" : " key " + key);
        }
    }

    private static List<Reference> references(PodTemplateSpec pod) {
        List<Reference> references = new ArrayList<>();
        List<Container> containers = new ArrayList<>(pod.getSpec().getContainers());
        containers.addAll(pod.getSpec().getInitContainers());
        for (Container container : containers) {
            for (EnvVar variable : container.getEnv()) {
                if (variable.getValueFrom() == null) {
                    continue;
                }
                var secret = variable.getValueFrom().getSecretKeyRef();
                var configMap = variable.getValueFrom().getConfigMapKeyRef();
                if (secret != null) {
                    references.add(new Reference("Secret", secret.getName(), secret.getKey()));
                }
                if (configMap != null) {
                    references.add(new Reference("ConfigMap", configMap.getName(), configMap.getKey()));
                }
            }
            container.getEnvFrom().forEach(from -> {
                if (from.getSecretRef() != null) {
                    references.add(new Reference("Secret", from.getSecretRef().getName(), null));
                }
                if (from.getConfigMapRef() != null) {
                    references.add(new Reference("ConfigMap", from.getConfigMapRef().getName(), null));
                }
            });
        }
        for (Volume volume : pod.getSpec().getVolumes()) {
            if (volume.getSecret() != null) {
                references.add(new Reference("Secret", volume.getSecret().getSecretName(), null));
            }
            if (volume.getConfigMap() != null) {
                references.add(new Reference("ConfigMap", volume.getConfigMap().getName(), null));
            }
        }
        return references;
    }

    private static Map<String, String> secretData(Secret secret) {
        Map<String, String> data = new TreeMap<>();
        Optional.ofNullable(secret.getData()).orElse(Map.of()).forEach((k, v) -> data.put(k, new String(java.util.Base64.getDecoder().decode(v),
                StandardCharsets.UTF_8)));
        data.putAll(Optional.ofNullable(secret.getStringData()).orElse(Map.of()));
        return data;
    }

    private static long preStopSleepSeconds(String module, Container container) {
        var preStop = container.getLifecycle().getPreStop();
        assertThat(preStop).as("%s preStop hook", module).isNotNull();
        if (preStop.getSleep() != null) {
            return preStop.getSleep().getSeconds();
        }
        assertThat(preStop.getExec()).as("%s preStop is a sleep", module).isNotNull();
        List<String> command = preStop.getExec().getCommand();
        assertThat(command).as("%s preStop command", module).hasSize(2).first().isEqualTo("sleep");
        assertThat(command.get(1)).as("%s preStop sleep seconds", module).matches(SLEEP_SECONDS);
        return Long.parseLong(command.get(1));
    }

    /** Spring's simple duration format: 20s, 500ms, 1m, 2h, 8d. */
    private static Duration springDuration(String value) {
        Matcher matcher = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(value.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a duration: " + value);
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    private static int intConfig(Map<String, Object> config, String key) {
        Object value = config.get(key);
        assertThat(value).as("Kafka config %s", key).isNotNull();
        return Integer.parseInt(value.toString());
    }

    private static int intValue(IntOrString value) {
        assertThat(value).as("a disruption budget bound").isNotNull();
        assertThat(value.getIntVal()).as("a whole number, not a percentage: %s", value.getStrVal()).isNotNull();
        return value.getIntVal();
    }

    private static BigDecimal amount(Quantity quantity) {
        return Quantity.getAmountInBytes(quantity);
    }

    @SafeVarargs
    private static <T> T first(T... candidates) {
        return Stream.of(candidates).filter(Objects::nonNull).findFirst().orElse(null);
    }

    private static Object at(Map<String, Object> tree, String... path) {
        Object node = tree;
        for (String key : path) {
            node = ((Map<?, ?>) node).get(key);
        }
        return node;
    }

    /** The event contract as common-events writes it: topic names, partitions, and how long processed ids live. */
    private record TopicContract(Set<String> topics, int partitions, Duration processedRetention) {

        static TopicContract read() throws IOException {
            Path root = ServiceConfiguration.repositoryRoot();
            String topicsSource = Files.readString(root.resolve("common-events/src/main/java/dev/ticketing/events/Topics.java"));
            Set<String> topics = new TreeSet<>();
            Matcher constant = Pattern.compile("public static final String \\w+_EVENTS = \"([^\"]+)\"").matcher(topicsSource);
            while (constant.find()) {
                topics.add(constant.group(1));
            }
            Matcher partitions = Pattern.compile("public static final int PARTITIONS = (\\d+);").matcher(topicsSource);
            if (topics.isEmpty() || !partitions.find()) {
                throw new IllegalStateException("Topics.java no longer declares *_EVENTS and PARTITIONS as expected");
            }
            String properties = Files.readString(
                    root.resolve("common-messaging/src/main/java/dev/ticketing/messaging/MessagingProperties.java"));
            Matcher retention = Pattern.compile("@DefaultValue\\(\"([^\"]+)\"\\)\\s+Duration processedRetention")
                    .matcher(properties);
            if (!retention.find()) {
                throw new IllegalStateException("MessagingProperties no longer has a default processedRetention");
            }
            return new TopicContract(topics, Integer.parseInt(partitions.group(1)), springDuration(retention.group(1)));
        }
    }
}
