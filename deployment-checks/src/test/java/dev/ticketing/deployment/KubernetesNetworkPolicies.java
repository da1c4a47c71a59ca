package dev.ticketing.deployment;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

/**
 * Who may connect to a pod's port under an overlay's NetworkPolicies, in the terms the tests state expectations in:
 * workload names of the same namespace, {@link #ANYONE}, or a rendered namespace or address selector. Follows the
 * NetworkPolicy rules: a pod no policy selects is open to all; a selected pod admits the union of the rules of every
 * policy that selects it; a rule without ports covers every port and a rule without peers admits everyone.
 */
final class KubernetesNetworkPolicies {

    static final String ANYONE = "anyone";

    private final KubernetesOverlay overlay;

    KubernetesNetworkPolicies(KubernetesOverlay overlay) {
        this.overlay = overlay;
    }

    /** The sources admitted to one named container port of a workload. */
    Set<String> admittedTo(String workload, String portName) {
        PodTemplateSpec pod = overlay.workloads().get(workload);
        ContainerPort port = containerPorts(pod).stream()
                .filter(p -> portName.equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(workload + " has no container port named " + portName));
        List<NetworkPolicy> policies = policiesSelecting(pod);
        if (policies.isEmpty()) {
            return Set.of(ANYONE);
        }
        Set<String> sources = new TreeSet<>();
        for (NetworkPolicy policy : policies) {
            for (NetworkPolicyIngressRule rule : listOrEmpty(policy.getSpec().getIngress())) {
                if (covers(rule, port)) {
                    sources.addAll(sourcesOf(rule.getFrom()));
                }
            }
        }
        return sources;
    }

    /** The sources a list of peers (a rule's from, a Strimzi listener's networkPolicyPeers) admits. */
    Set<String> sourcesOf(List<NetworkPolicyPeer> peers) {
        if (peers == null || peers.isEmpty()) {
            return Set.of(ANYONE);
        }
        Set<String> sources = new TreeSet<>();
        for (NetworkPolicyPeer peer : peers) {
            if (peer.getIpBlock() != null) {
                sources.add("ip:" + peer.getIpBlock().getCidr());
            } else if (peer.getNamespaceSelector() != null) {
                sources.add("namespace:" + render(peer.getNamespaceSelector())
                        + (peer.getPodSelector() == null ? "" : " pods:" + render(peer.getPodSelector())));
            } else {
                Set<String> workloads = overlay.workloadsSelectedBy(peer.getPodSelector());
                // A selector that matches none of the overlay's pods is kept visible rather than dropped.
                sources.addAll(workloads.isEmpty() ? Set.of("pods:" + render(peer.getPodSelector())) : workloads);
            }
        }
        return sources;
    }

    /** Ingress policies that select no workload of the overlay (besides a deny-all over every pod). */
    List<String> policiesSelectingNothing() {
        return ingressPolicies().stream()
                .filter(p -> !isEmpty(p.getSpec().getPodSelector()))
                .filter(p -> overlay.workloadsSelectedBy(p.getSpec().getPodSelector()).isEmpty())
                .map(p -> p.getMetadata().getName())
                .toList();
    }

    /** Rule ports that name or number no container port of any pod their policy selects: rules that do nothing. */
    List<String> rulePortsMatchingNoContainerPort() {
        List<String> dead = new java.util.ArrayList<>();
        for (NetworkPolicy policy : ingressPolicies()) {
            Set<String> selected = overlay.workloadsSelectedBy(policy.getSpec().getPodSelector());
            for (NetworkPolicyIngressRule rule : listOrEmpty(policy.getSpec().getIngress())) {
                for (NetworkPolicyPort port : listOrEmpty(rule.getPorts())) {
                    boolean used = selected.stream().flatMap(w -> containerPorts(overlay.workloads().get(w)).stream())
                            .anyMatch(cp -> matches(port, cp));
                    if (!used) {
                        dead.add(policy.getMetadata().getName() + " port " + render(port.getPort()));
                    }
                }
            }
        }
        return dead;
    }

    /** A policy that selects every pod, isolates them for ingress and admits nothing. */
    boolean hasDefaultDeny() {
        return ingressPolicies().stream().anyMatch(p -> isEmpty(p.getSpec().getPodSelector())
                && listOrEmpty(p.getSpec().getIngress()).isEmpty());
    }

    private List<NetworkPolicy> ingressPolicies() {
        return overlay.all(NetworkPolicy.class).stream().filter(KubernetesNetworkPolicies::governsIngress).toList();
    }

    private List<NetworkPolicy> policiesSelecting(PodTemplateSpec pod) {
        return ingressPolicies().stream()
                .filter(p -> KubernetesOverlay.selects(p.getSpec().getPodSelector(), pod.getMetadata().getLabels()))
                .toList();
    }

    /** policyTypes absent means Ingress (plus Egress when there are egress rules). */
    private static boolean governsIngress(NetworkPolicy policy) {
        List<String> types = policy.getSpec().getPolicyTypes();
        return types == null || types.isEmpty() || types.contains("Ingress");
    }

    private static boolean covers(NetworkPolicyIngressRule rule, ContainerPort port) {
        List<NetworkPolicyPort> ports = listOrEmpty(rule.getPorts());
        return ports.isEmpty() || ports.stream().anyMatch(p -> matches(p, port));
    }

    private static boolean matches(NetworkPolicyPort rulePort, ContainerPort port) {
        String protocol = rulePort.getProtocol() == null ? "TCP" : rulePort.getProtocol();
        String portProtocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
        if (!protocol.equals(portProtocol)) {
            return false;
        }
        IntOrString wanted = rulePort.getPort();
        if (wanted == null) {
            return true;
        }
        return wanted.getStrVal() != null ? wanted.getStrVal().equals(port.getName())
                : wanted.getIntVal().equals(port.getContainerPort());
    }

    static List<ContainerPort> containerPorts(PodTemplateSpec pod) {
        return pod.getSpec().getContainers().stream().flatMap(c -> listOrEmpty(c.getPorts()).stream()).toList();
    }

    private static boolean isEmpty(LabelSelector selector) {
        return selector == null || (mapOrEmpty(selector.getMatchLabels()).isEmpty()
                && listOrEmpty(selector.getMatchExpressions()).isEmpty());
    }

    static String render(LabelSelector selector) {
        if (isEmpty(selector)) {
            return "{}";
        }
        Set<String> parts = new TreeSet<>();
        mapOrEmpty(selector.getMatchLabels()).forEach((k, v) -> parts.add(k + "=" + v));
        listOrEmpty(selector.getMatchExpressions()).forEach(e -> parts.add(e.getKey() + " " + e.getOperator() + " "
                + listOrEmpty(e.getValues()).stream().sorted().collect(Collectors.joining(",", "(", ")"))));
        return String.join(",", parts);
    }

    private static String render(IntOrString port) {
        return port == null ? "(all)" : port.getStrVal() != null ? port.getStrVal() : port.getIntVal().toString();
    }

    private static <T> List<T> listOrEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static <K, V> Map<K, V> mapOrEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }
}
