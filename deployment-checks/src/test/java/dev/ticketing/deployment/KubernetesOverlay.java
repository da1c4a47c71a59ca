package dev.ticketing.deployment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

/**
 * One kustomization under k8s/ (an overlay, or k8s/monitoring), built by the real kustomize ({@code kubectl
 * kustomize}) where kubectl is on the PATH and by {@link KustomizeBuilder} elsewhere, and read into the typed
 * fabric8 and Strimzi models. Reading is strict: a field the model does not know (a typo such as {@code readinesProbe}), a scalar of the
 * wrong type (an unquoted number where Kubernetes wants a string) or an apiVersion/kind outside the list below fails,
 * as the API server would refuse it.
 */
final class KubernetesOverlay {

    /** apiVersion/kind to model; anything else in k8s/ is a mistake or needs a model added here. */
    private static final Map<String, Class<? extends HasMetadata>> MODELS = Map.ofEntries(
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("kafka.strimzi.io/v1beta2/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", PodMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class));

    private static final ObjectMapper STRICT = strictMapper();

    private final String name;
    private final List<Map<String, Object>> trees;
    private final List<HasMetadata> objects;

    private KubernetesOverlay(String name, List<Map<String, Object>> trees, List<HasMetadata> objects) {
        this.name = name;
        this.trees = trees;
        this.objects = objects;
    }

    static Path directory(String overlay) {
        return ServiceConfiguration.repositoryRoot().resolve("k8s/overlays").resolve(overlay);
    }

    static KubernetesOverlay build(String overlay) {
        return build(overlay, directory(overlay));
    }

    /** The kustomization in {@code dir}, built by kustomize itself when kubectl is there. */
    static KubernetesOverlay build(String name, Path dir) {
        List<Map<String, Object>> trees = Kubectl.available() ? Kubectl.kustomize(dir) : KustomizeBuilder.build(dir);
        List<HasMetadata> objects = new ArrayList<>();
        for (Map<String, Object> tree : trees) {
            objects.add(parse(tree));
        }
        return new KubernetesOverlay(name, trees, objects);
    }

    /** The typed object of one manifest; IllegalArgumentException, naming the object and the field, if it is wrong. */
    static HasMetadata parse(Map<String, Object> tree) {
        String type = tree.get("apiVersion") + "/" + tree.get("kind");
        Class<? extends HasMetadata> model = MODELS.get(type);
        if (model == null) {
            throw new IllegalArgumentException(KustomizeBuilder.id(tree) + ": " + type + " is not one of " + MODELS.keySet());
        }
        try {
            return STRICT.convertValue(tree, model);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KustomizeBuilder.id(tree) + " does not read as " + model.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    String name() {
        return name;
    }

    List<Map<String, Object>> trees() {
        return trees;
    }

    List<HasMetadata> objects() {
        return objects;
    }

    Set<String> ids() {
        return trees.stream().map(KustomizeBuilder::id).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String objectName) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(objectName)).findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String objectName) {
        return find(type, objectName).orElseThrow(() -> new AssertionError(
                name + " overlay has no " + type.getSimpleName() + " named " + objectName));
    }

    /** Deployments and StatefulSets by name with their pod templates: what Services and policies select. */
    Map<String, PodTemplateSpec> workloads() {
        Map<String, PodTemplateSpec> result = new LinkedHashMap<>();
        all(Deployment.class).forEach(d -> result.put(d.getMetadata().getName(), d.getSpec().getTemplate()));
        all(StatefulSet.class).forEach(s -> result.put(s.getMetadata().getName(), s.getSpec().getTemplate()));
        return result;
    }

    /** The workloads whose pods a selector selects (null or empty selects all, as in a NetworkPolicy). */
    Set<String> workloadsSelectedBy(LabelSelector selector) {
        return workloads().entrySet().stream()
                .filter(e -> selects(selector, e.getValue().getMetadata().getLabels()))
                .map(Map.Entry::getKey)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        Map<String, String> have = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> wanted : selector.getMatchLabels().entrySet()) {
                if (!wanted.getValue().equals(have.get(wanted.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
                String value = have.get(requirement.getKey());
                List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
                boolean ok = switch (requirement.getOperator()) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> throw new IllegalArgumentException("selector operator " + requirement.getOperator());
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A Service's plain selector as a LabelSelector. */
    static LabelSelector selectorOf(Map<String, String> matchLabels) {
        LabelSelector selector = new LabelSelector();
        selector.setMatchLabels(matchLabels == null ? Map.of() : matchLabels);
        return selector;
    }

    /**
     * Jackson as the API server reads: unknown fields fail (the models would otherwise keep them in
     * additionalProperties through their any-setter, which is taken away here), and scalars are not coerced.
     */
    private static ObjectMapper strictMapper() {
        SimpleModule noAnySetter = new SimpleModule("no-any-setter");
        noAnySetter.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description,
                                                         BeanDeserializerBuilder builder) {
                String type = description.getBeanClass().getName();
                if (type.startsWith("io.fabric8.") || type.startsWith("io.strimzi.")) {
                    builder.setAnySetter(null);
                }
                return builder;
            }
        });
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .addModule(noAnySetter)
                .build();
        // An unquoted 5 or true where Kubernetes wants a string (an env value, a label) is refused by the API server.
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        return mapper;
    }
}
