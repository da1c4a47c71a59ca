package dev.ticketing.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.yaml.snakeyaml.Yaml;

/**
 * Builds a kustomization the way {@code kubectl kustomize} (kustomize v5) does, for exactly the fields the overlays
 * use, so that they can be checked on a machine without kubectl. Where kubectl is present, the real kustomize builds
 * them ({@link KubernetesOverlay}) and a test checks that this builder agrees with it. A field outside the subset is
 * refused rather than ignored, because ignoring it would check something other than what a cluster gets; so are
 * the fields kustomize v5 deprecates ({@code bases}, {@code patchesStrategicMerge}, {@code commonLabels}).
 *
 * <p>Supported: {@code resources} (files and directories), {@code patches} (strategic merge patches by
 * {@code path}), {@code namespace}, {@code labels} (with or without the selectors) and {@code images}.
 */
final class KustomizeBuilder {

    private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "resources", "patches", "namespace",
            "labels", "images");

    /** Deprecated by kustomize v5, with what replaces each. */
    private static final Map<String, String> DEPRECATED = Map.of("bases", "resources",
            "patchesStrategicMerge", "patches", "commonLabels", "labels");

    private static final List<String> KUSTOMIZATION_FILES =
            List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

    /** Kinds that have no namespace; kustomize leaves them alone when it sets one. */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass");

    /**
     * Where {@code labels} with {@code includeSelectors} go: kustomize's built-in field specs for the kinds used here. {@code create} false
     * means only where the map is already present; "[]" marks a list.
     */
    private static final List<LabelTarget> LABEL_TARGETS = List.of(
            new LabelTarget(null, "metadata/labels", true),
            new LabelTarget(null, "spec/template/metadata/labels", false),
            new LabelTarget("Service", "spec/selector", true),
            new LabelTarget("Deployment", "spec/selector/matchLabels", true),
            new LabelTarget("Deployment", "spec/template/metadata/labels", true),
            new LabelTarget("StatefulSet", "spec/selector/matchLabels", true),
            new LabelTarget("StatefulSet", "spec/template/metadata/labels", true),
            new LabelTarget("StatefulSet", "spec/volumeClaimTemplates[]/metadata/labels", true),
            new LabelTarget("PodDisruptionBudget", "spec/selector/matchLabels", false),
            new LabelTarget("NetworkPolicy", "spec/podSelector/matchLabels", false),
            new LabelTarget("NetworkPolicy", "spec/ingress[]/from[]/podSelector/matchLabels", false),
            new LabelTarget("NetworkPolicy", "spec/egress[]/to[]/podSelector/matchLabels", false));

    private static final List<String> POD_SELECTOR_PATHS = List.of(
            "spec/template/spec/topologySpreadConstraints[]/labelSelector/matchLabels",
            "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution[]/labelSelector/matchLabels",
            "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution[]/podAffinityTerm/labelSelector/matchLabels",
            "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution[]/labelSelector/matchLabels",
            "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution[]/podAffinityTerm/labelSelector/matchLabels");

    private record LabelTarget(String kind, String path, boolean create) {
    }

    private KustomizeBuilder() {
    }

    /** The objects {@code kubectl kustomize dir} would print, as YAML trees. */
    static List<Map<String, Object>> build(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        Map<String, Object> kustomization = loadKustomization(root);

        List<Map<String, Object>> objects = new ArrayList<>();
        for (String resource : strings(kustomization, "resources", root)) {
            Path file = root.resolve(resource).normalize();
            if (Files.isDirectory(file)) {
                objects.addAll(build(file));
                continue;
            }
            if (!file.startsWith(root)) {
                throw new IllegalArgumentException(root + ": resources entry " + resource
                        + " lies outside the kustomization's directory, which kustomize refuses");
            }
            objects.addAll(documents(file));
        }
        requireUniqueIds(root, objects);

        for (Object entry : listOrEmpty(kustomization.get("patches"))) {
            Map<String, Object> patchEntry = mapOrEmpty(entry);
            if (!(patchEntry.get("path") instanceof String patchFile) || patchEntry.size() != 1) {
                throw new IllegalArgumentException(root + ": patches entry " + entry
                        + " is not {path: <file>}; only strategic merge patches from files are supported");
            }
            for (Map<String, Object> patch : documents(root.resolve(patchFile).normalize())) {
                applyPatch(root, patchFile, objects, patch);
            }
        }

        Object namespace = kustomization.get("namespace");
        if (namespace != null) {
            for (Map<String, Object> object : objects) {
                if (!CLUSTER_SCOPED.contains(object.get("kind"))) {
                    map(object, "metadata").put("namespace", namespace.toString());
                }
            }
        }

        for (Object entry : listOrEmpty(kustomization.get("labels"))) {
            Map<String, Object> rule = mapOrEmpty(entry);
            if (!Set.of("pairs", "includeSelectors").containsAll(rule.keySet())) {
                throw new IllegalArgumentException(root + ": labels entry " + entry
                        + " uses more than pairs and includeSelectors");
            }
            Map<String, Object> labels = mapOrEmpty(rule.get("pairs"));
            boolean selectors = Boolean.TRUE.equals(rule.get("includeSelectors"));
            for (Map<String, Object> object : objects) {
                if (selectors) {
                    addLabels(object, labels);
                } else {
                    putAt(object, List.of("metadata", "labels"), labels, true);
                }
            }
        }

        for (Object image : listOrEmpty(kustomization.get("images"))) {
            Map<String, Object> rule = mapOrEmpty(image);
            for (Map<String, Object> object : objects) {
                replaceImages(object, rule);
            }
        }
        return objects;
    }

    /** kind/namespace/name, the identity kustomize and kubectl use. */
    static String id(Map<String, Object> object) {
        Map<String, Object> metadata = mapOrEmpty(object.get("metadata"));
        Object namespace = metadata.get("namespace");
        return object.get("kind") + "/" + (namespace == null ? "" : namespace) + "/" + metadata.get("name");
    }

    /** Every non-empty YAML document of a file. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(Path file) {
        try {
            List<Map<String, Object>> result = new ArrayList<>();
            for (Object document : new Yaml().loadAll(Files.readString(file))) {
                if (document == null) {
                    continue;
                }
                if (!(document instanceof Map<?, ?>)) {
                    throw new IllegalArgumentException(file + ": a document that is not a mapping: " + document);
                }
                result.add((Map<String, Object>) document);
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> loadKustomization(Path root) {
        for (String name : KUSTOMIZATION_FILES) {
            Path file = root.resolve(name);
            if (Files.isRegularFile(file)) {
                List<Map<String, Object>> documents = documents(file);
                if (documents.size() != 1) {
                    throw new IllegalArgumentException(file + " must hold one document");
                }
                Map<String, Object> kustomization = documents.get(0);
                for (String field : kustomization.keySet()) {
                    if (DEPRECATED.containsKey(field)) {
                        throw new IllegalArgumentException(file + " uses " + field + ", deprecated since kustomize v5: "
                                + "use " + DEPRECATED.get(field));
                    }
                }
                Set<String> unknown = kustomization.keySet().stream()
                        .filter(key -> !FIELDS.contains(key)).collect(Collectors.toCollection(java.util.TreeSet::new));
                if (!unknown.isEmpty()) {
                    throw new IllegalArgumentException(file + " uses " + unknown + ", outside what this builder "
                            + "understands: " + new java.util.TreeSet<>(FIELDS));
                }
                return kustomization;
            }
        }
        throw new IllegalArgumentException("no kustomization file in " + root);
    }

    private static List<String> strings(Map<String, Object> kustomization, String field, Path root) {
        List<String> result = new ArrayList<>();
        for (Object entry : listOrEmpty(kustomization.get(field))) {
            if (!(entry instanceof String s)) {
                throw new IllegalArgumentException(root + ": " + field + " holds " + entry + ", not a path");
            }
            result.add(s);
        }
        return result;
    }

    private static void requireUniqueIds(Path root, List<Map<String, Object>> objects) {
        Set<String> seen = new java.util.HashSet<>();
        for (Map<String, Object> object : objects) {
            if (object.get("kind") == null || mapOrEmpty(object.get("metadata")).get("name") == null) {
                throw new IllegalArgumentException(root + ": an object without kind or metadata.name: " + object);
            }
            if (!seen.add(id(object))) {
                throw new IllegalArgumentException(root + ": " + id(object) + " is defined twice");
            }
        }
    }

    private static void applyPatch(Path root, String patchFile, List<Map<String, Object>> objects,
                                   Map<String, Object> patch) {
        Map<String, Object> patchMetadata = mapOrEmpty(patch.get("metadata"));
        List<Map<String, Object>> targets = objects.stream()
                .filter(o -> Objects.equals(o.get("kind"), patch.get("kind")))
                .filter(o -> Objects.equals(group(o), group(patch)))
                .filter(o -> Objects.equals(mapOrEmpty(o.get("metadata")).get("name"), patchMetadata.get("name")))
                .filter(o -> patchMetadata.get("namespace") == null
                        || Objects.equals(mapOrEmpty(o.get("metadata")).get("namespace"), patchMetadata.get("namespace")))
                .toList();
        if (targets.size() != 1) {
            throw new IllegalArgumentException(root.resolve(patchFile) + ": the patch of " + patch.get("kind") + " "
                    + patchMetadata.get("name") + " matches " + targets.size() + " objects, not one");
        }
        Map<String, Object> target = targets.get(0);
        // Built-in kinds merge lists by their patch merge key; kustomize knows no schema of a custom resource and
        // falls back to a JSON merge patch there, where a list in the patch replaces the whole list.
        mergeMap(target, patch, isBuiltIn(target));
    }

    private static String group(Map<String, Object> object) {
        String apiVersion = String.valueOf(object.get("apiVersion"));
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    private static boolean isBuiltIn(Map<String, Object> object) {
        String group = group(object);
        return group.isEmpty() || !group.contains(".") || group.endsWith(".k8s.io");
    }

    @SuppressWarnings("unchecked")
    private static void mergeMap(Map<String, Object> target, Map<String, Object> patch, boolean strategic) {
        for (Map.Entry<String, Object> entry : patch.entrySet()) {
            String key = entry.getKey();
            Object value = entry.getValue();
            if (key.startsWith("$")) {
                throw new IllegalArgumentException("patch directive " + key + " is not supported by this builder");
            }
            if (value == null) {
                target.remove(key);
                continue;
            }
            Object existing = target.get(key);
            if (existing instanceof Map<?, ?> existingMap && value instanceof Map<?, ?> patchMap) {
                mergeMap((Map<String, Object>) existingMap, (Map<String, Object>) patchMap, strategic);
            } else if (strategic && existing instanceof List<?> existingList && value instanceof List<?> patchList
                    && mergeKey(key, patchList) != null) {
                target.put(key, mergeList((List<Object>) existingList, (List<Object>) patchList,
                        mergeKey(key, patchList)));
            } else {
                target.put(key, deepCopy(value));
            }
        }
    }

    /** The patch merge key of the Kubernetes lists that k8s/ patches or might patch; null: replace the list. */
    private static String mergeKey(String field, List<?> patchList) {
        return switch (field) {
            case "containers", "initContainers", "env", "volumes", "imagePullSecrets" -> "name";
            case "volumeMounts" -> "mountPath";
            case "topologySpreadConstraints" -> "topologyKey";
            // Container ports merge on containerPort, Service ports on port.
            case "ports" -> patchList.stream().allMatch(p -> p instanceof Map<?, ?> m && m.containsKey("containerPort"))
                    ? "containerPort" : "port";
            default -> null;
        };
    }

    /** Items only the patch has go first, in the patch's order, as kustomize v5 places them. */
    @SuppressWarnings("unchecked")
    private static List<Object> mergeList(List<Object> target, List<Object> patch, String key) {
        List<Object> result = new ArrayList<>(target);
        List<Object> added = new ArrayList<>();
        for (Object item : patch) {
            if (!(item instanceof Map<?, ?> patchItem) || !patchItem.containsKey(key)) {
                throw new IllegalArgumentException("list item without its merge key " + key + ": " + item);
            }
            Map<String, Object> match = result.stream()
                    .filter(t -> t instanceof Map<?, ?> m && Objects.equals(m.get(key), patchItem.get(key)))
                    .map(t -> (Map<String, Object>) t)
                    .findFirst().orElse(null);
            if (match == null) {
                added.add(deepCopy(item));
            } else {
                mergeMap(match, (Map<String, Object>) patchItem, true);
            }
        }
        added.addAll(result);
        return added;
    }

    private static void addLabels(Map<String, Object> object, Map<String, Object> labels) {
        Object kind = object.get("kind");
        for (LabelTarget target : LABEL_TARGETS) {
            if (target.kind() == null || target.kind().equals(kind)) {
                putAt(object, List.of(target.path().split("/")), labels, target.create());
            }
        }
        if ("Deployment".equals(kind) || "StatefulSet".equals(kind)) {
            for (String path : POD_SELECTOR_PATHS) {
                putAt(object, List.of(path.split("/")), labels, false);
            }
        }
    }

    /** Walks a path, stepping into every element of a list on the way (as kustomize's field specs do). */
    @SuppressWarnings("unchecked")
    private static void putAt(Object node, List<String> path, Map<String, Object> labels, boolean create) {
        if (node instanceof List<?> list) {
            for (Object element : list) {
                putAt(element, path, labels, create);
            }
            return;
        }
        if (!(node instanceof Map<?, ?>)) {
            return;
        }
        Map<String, Object> map = (Map<String, Object>) node;
        // "[]" marks a list: stepped through when present, never created.
        boolean list = path.get(0).endsWith("[]");
        String field = list ? path.get(0).substring(0, path.get(0).length() - 2) : path.get(0);
        Object child = map.get(field);
        if (list && child == null) {
            return;
        }
        if (path.size() == 1) {
            if (child == null && create) {
                child = new LinkedHashMap<String, Object>();
                map.put(field, child);
            }
            if (child instanceof Map<?, ?> target) {
                labels.forEach((k, v) -> ((Map<String, Object>) target).put(k, v.toString()));
            }
            return;
        }
        if (child == null) {
            // kustomize creates intermediate maps only for paths that it creates, and only when their parent is there.
            if (!create) {
                return;
            }
            child = new LinkedHashMap<String, Object>();
            map.put(field, child);
        }
        putAt(child, path.subList(1, path.size()), labels, create);
    }

    @SuppressWarnings("unchecked")
    private static void replaceImages(Map<String, Object> object, Map<String, Object> rule) {
        Map<String, Object> spec = mapOrEmpty(object.get("spec"));
        Map<String, Object> podSpec = mapOrEmpty(mapOrEmpty(spec.get("template")).get("spec"));
        for (Map<String, Object> candidate : List.of(spec, podSpec)) {
            for (String field : List.of("containers", "initContainers")) {
                for (Object container : listOrEmpty(candidate.get(field))) {
                    Map<String, Object> c = (Map<String, Object>) container;
                    if (c.get("image") instanceof String image) {
                        c.put("image", replaceImage(image, rule));
                    }
                }
            }
        }
    }

    private static String replaceImage(String image, Map<String, Object> rule) {
        String name = image;
        String digest = null;
        int at = name.indexOf('@');
        if (at >= 0) {
            digest = name.substring(at + 1);
            name = name.substring(0, at);
        }
        String tag = null;
        int colon = name.lastIndexOf(':');
        // A colon before the last slash belongs to a registry's port, not to a tag.
        if (colon > name.lastIndexOf('/')) {
            tag = name.substring(colon + 1);
            name = name.substring(0, colon);
        }
        if (!name.equals(rule.get("name"))) {
            return image;
        }
        if (rule.get("newName") != null) {
            name = rule.get("newName").toString();
        }
        if (rule.get("digest") != null) {
            return name + "@" + rule.get("digest");
        }
        if (rule.get("newTag") != null) {
            return name + ":" + rule.get("newTag");
        }
        return name + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    @SuppressWarnings("unchecked")
    private static <T> T deepCopy(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k.toString(), deepCopy(v)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(deepCopy(v)));
            return (T) copy;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String field) {
        return (Map<String, Object>) parent.computeIfAbsent(field, k -> new LinkedHashMap<String, Object>());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> mapOrEmpty(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    static List<?> listOrEmpty(Object value) {
        return value instanceof List<?> list ? list : List.of();
    }
}
