package ai.vidgen.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The base's NetworkPolicies, evaluated as Kubernetes does (a connection needs an egress rule of
 * its source and an ingress rule of its destination, once any policy selects either), for every
 * pair of services and the two namespaces outside that call in: exactly the paths the
 * architecture draws are open.
 */
class NetworkPoliciesTest {

    private static final int HTTP = 8080;
    private static final List<String> SERVICES = List.of("request-service", "dispatcher-service", "fal-adapter",
            "storage-service", "billing-service");

    /** A party to a connection: a pod's labels and its namespace's labels; an address outside the cluster has neither. */
    private record Peer(String name, Map<String, String> podLabels, Map<String, String> namespaceLabels,
                        boolean inNamespace) {
    }

    private static final Map<String, Peer> pods = new HashMap<>();
    private static List<JsonNode> policies;

    @BeforeAll
    static void render() throws Exception {
        RenderedManifests rendered = RenderedManifests.of(Path.of("base"));
        policies = rendered.ofKind("NetworkPolicy");
        for (JsonNode d : rendered.ofKind("Deployment")) {
            Map<String, String> labels = new HashMap<>();
            d.path("spec").path("template").path("metadata").path("labels").fields()
                    .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            pods.put(RenderedManifests.name(d), new Peer(RenderedManifests.name(d), labels,
                    Map.of("kubernetes.io/metadata.name", "vidgen"), true));
        }
        assertThat(pods).containsOnlyKeys(SERVICES);
    }

    @Test
    void servicesCallEachOtherOnlyWhereTheArchitectureDrawsIt() {
        Set<String> open = new TreeSet<>();
        for (String from : SERVICES) {
            for (String to : SERVICES) {
                if (!from.equals(to) && allowed(pods.get(from), pods.get(to), HTTP)) {
                    open.add(from + " -> " + to);
                }
            }
        }
        assertThat(open).containsExactlyInAnyOrder(
                "request-service -> billing-service",
                "request-service -> storage-service",
                "dispatcher-service -> billing-service");
    }

    @Test
    void onlyThePublicRoutesAreReachableFromTheIngressController() {
        Peer ingress = outsider("ingress-nginx");
        assertThat(SERVICES.stream().filter(s -> allowed(ingress, pods.get(s), HTTP)))
                .containsExactlyInAnyOrder("request-service", "fal-adapter", "storage-service");
        Peer stranger = outsider("default");
        assertThat(SERVICES.stream().filter(s -> allowed(stranger, pods.get(s), HTTP))).isEmpty();
    }

    @Test
    void prometheusScrapesEveryService() {
        Peer prometheus = outsider("monitoring");
        assertThat(SERVICES).allSatisfy(s -> assertThat(allowed(prometheus, pods.get(s), HTTP)).as(s).isTrue());
    }

    @Test
    void everyServiceReachesKafkaAndPostgresAndOnlyTheOutsideCallersReachHttps() {
        Peer internet = new Peer("outside", Map.of(), Map.of(), false);
        assertThat(SERVICES).allSatisfy(s -> {
            assertThat(allowed(pods.get(s), internet, 9092)).as(s + " Kafka").isTrue();
            assertThat(allowed(pods.get(s), internet, 5432)).as(s + " PostgreSQL").isTrue();
            assertThat(allowed(pods.get(s), internet, 53)).as(s + " DNS").isTrue();
        });
        assertThat(SERVICES.stream().filter(s -> allowed(pods.get(s), internet, 443)))
                .containsExactlyInAnyOrder("request-service", "fal-adapter", "storage-service");
        assertThat(SERVICES.stream().filter(s -> allowed(pods.get(s), internet, 22))).isEmpty();
    }

    private static Peer outsider(String namespace) {
        return new Peer(namespace, Map.of("app", "any"), Map.of("kubernetes.io/metadata.name", namespace), false);
    }

    /** Both ends must let the connection through: the source's egress and the destination's ingress. */
    private static boolean allowed(Peer from, Peer to, int port) {
        return (!from.inNamespace() || permits(from, "Egress", "egress", "to", to, port))
                && (!to.inNamespace() || permits(to, "Ingress", "ingress", "from", from, port));
    }

    /** A pod no policy of this type selects is open; one that is selected needs a rule that matches. */
    private static boolean permits(Peer pod, String type, String rulesField, String peersField, Peer other, int port) {
        List<JsonNode> selecting = policies.stream()
                .filter(p -> hasType(p, type) && matches(p.path("spec").path("podSelector"), pod.podLabels()))
                .toList();
        if (selecting.isEmpty()) {
            return true;
        }
        for (JsonNode policy : selecting) {
            for (JsonNode rule : policy.path("spec").path(rulesField)) {
                if (portMatches(rule.path("ports"), port) && peerMatches(rule.path(peersField), other)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasType(JsonNode policy, String type) {
        return anyOf(policy.path("spec").path("policyTypes"), t -> t.asText().equals(type));
    }

    /** No ports listed: every port. */
    private static boolean portMatches(JsonNode ports, int port) {
        return ports.isMissingNode() || ports.isEmpty() || anyOf(ports, p -> p.path("port").asInt() == port);
    }

    private static boolean anyOf(JsonNode array, Predicate<JsonNode> test) {
        for (JsonNode element : array) {
            if (test.test(element)) {
                return true;
            }
        }
        return false;
    }

    /** No peers: everyone. A pod selector alone: pods of this namespace. A namespace selector: pods there. */
    private static boolean peerMatches(JsonNode peers, Peer other) {
        if (peers.isMissingNode() || peers.isEmpty()) {
            return true;
        }
        for (JsonNode peer : peers) {
            if (peer.has("ipBlock")) {
                return true;
            }
            boolean namespaceOk = peer.has("namespaceSelector")
                    ? !other.namespaceLabels().isEmpty() && matches(peer.path("namespaceSelector"), other.namespaceLabels())
                    : other.inNamespace();
            boolean podOk = !peer.has("podSelector") || (!other.podLabels().isEmpty()
                    && matches(peer.path("podSelector"), other.podLabels()));
            if (namespaceOk && podOk) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(JsonNode selector, Map<String, String> labels) {
        var wanted = selector.path("matchLabels").fields();
        while (wanted.hasNext()) {
            var e = wanted.next();
            if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String value = labels.get(expression.path("key").asText());
            Set<String> values = new TreeSet<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            boolean in = value != null && values.contains(value);
            boolean satisfied = switch (expression.path("operator").asText()) {
                case "In" -> in;
                case "NotIn" -> !in;
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new AssertionError("unknown selector operator " + expression);
            };
            if (!satisfied) {
                return false;
            }
        }
        return true;
    }
}
