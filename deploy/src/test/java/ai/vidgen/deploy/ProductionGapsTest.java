package ai.vidgen.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What kept the first manifests from running the platform on a cluster, looked for in the rendered
 * production overlay, one test per gap: each would fail on the manifests as they were.
 */
class ProductionGapsTest {

    private static final List<String> SERVICES = List.of("request-service", "dispatcher-service", "fal-adapter",
            "storage-service", "billing-service");
    private static RenderedManifests prod;
    private static Map<String, String> platformConfig;

    @BeforeAll
    static void render() throws Exception {
        prod = RenderedManifests.of(Path.of("overlays", "prod"));
        JsonNode config = prod.ofKind("ConfigMap").stream()
                .filter(c -> RenderedManifests.name(c).equals("vidgen-platform")).findFirst().orElseThrow();
        platformConfig = new java.util.HashMap<>();
        config.path("data").fields().forEachRemaining(e -> platformConfig.put(e.getKey(), e.getValue().asText()));
    }

    @Test
    void videosGoToTheObjectStoreNotToAPodsDisk() {
        assertThat(env(container("storage-service"), "STORAGE_OBJECT_STORE")).isEqualTo("s3");
        assertThat(env(container("storage-service"), "STORAGE_S3_BUCKET")).isNotBlank();
        assertThat(env(container("storage-service"), "STORAGE_S3_SECRET_ACCESS_KEY")).isEqualTo("secret:vidgen-secrets");
        assertThat(envNames(container("storage-service"))).doesNotContain("STORAGE_FILESYSTEM_ROOT");
    }

    @Test
    void theLinksClientsAndFalFollowArePublicHttpsAddresses() {
        for (String url : List.of(env(container("request-service"), "REQUEST_STORAGE_PUBLIC_URL"),
                env(container("fal-adapter"), "FAL_WEBHOOK_PUBLIC_URL"))) {
            URI uri = URI.create(url);
            assertThat(uri.getScheme()).as(url).isEqualTo("https");
            assertThat(uri.getHost()).as(url).doesNotMatch("127\\..*|localhost|.*\\.svc(\\..*)?");
        }
    }

    @Test
    void everyAdapterReplicaSignsWebhooksWithTheSameSecret() {
        assertThat(env(container("fal-adapter"), "FAL_WEBHOOK_TOKEN_SECRET")).isEqualTo("secret:vidgen-secrets");
        assertThat(replicas("fal-adapter")).isGreaterThan(1);
    }

    @Test
    void everyServiceGetsTheAdminAndServiceTokens() {
        for (String service : SERVICES) {
            assertThat(env(container(service), "VIDGEN_AUTH_ADMIN_TOKENS")).as(service).isEqualTo("secret:vidgen-secrets");
            assertThat(env(container(service), "VIDGEN_AUTH_SERVICE_TOKENS")).as(service).isEqualTo("secret:vidgen-secrets");
        }
    }

    @Test
    void theEventsTopicIsKeptForReplay() {
        JsonNode events = prod.ofKind("KafkaTopic").stream()
                .filter(t -> t.path("spec").path("topicName").asText(RenderedManifests.name(t)).equals("generation-events"))
                .findFirst().orElseThrow(() -> new AssertionError("no KafkaTopic generation-events"));
        assertThat(events.path("spec").path("config").path("retention.ms").asText()).isEqualTo("-1");
    }

    @Test
    void everyPodIsRestrictedAndWaitedForWhileItMigrates() {
        for (String service : SERVICES) {
            JsonNode pod = deployment(service).path("spec").path("template").path("spec");
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(service).isTrue();
            JsonNode container = container(service);
            assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).as(service).isTrue();
            assertThat(container.path("securityContext").path("capabilities").path("drop").toString()).contains("ALL");
            assertThat(container.path("startupProbe").path("httpGet").path("path").asText()).as(service)
                    .startsWith("/q/health");
        }
    }

    @Test
    void everyServiceHasADisruptionBudgetAndPoliciesDenyByDefault() {
        Set<String> budgeted = prod.ofKind("PodDisruptionBudget").stream()
                .map(b -> b.path("spec").path("selector").path("matchLabels").path("app.kubernetes.io/name").asText())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(budgeted).containsAll(SERVICES);
        assertThat(prod.ofKind("NetworkPolicy")).anySatisfy(p -> {
            assertThat(p.path("spec").path("policyTypes").toString()).contains("Ingress", "Egress");
            assertThat(p.path("spec").path("ingress").isMissingNode() || p.path("spec").path("ingress").isEmpty()).isTrue();
        });
    }

    @Test
    void theConsumersScaleAndEveryServiceIsScraped() {
        Set<String> scaled = prod.ofKind("ScaledObject").stream()
                .map(s -> s.path("spec").path("scaleTargetRef").path("name").asText())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(scaled).contains("fal-adapter", "storage-service", "billing-service");
        assertThat(prod.ofKind("ServiceMonitor")).singleElement().satisfies(m -> assertThat(
                m.path("spec").path("endpoints")).allSatisfy(e -> assertThat(e.path("honorLabels").asBoolean()).isTrue()));
    }

    private static JsonNode deployment(String name) {
        return prod.ofKind("Deployment").stream().filter(d -> RenderedManifests.name(d).equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no Deployment " + name));
    }

    private static int replicas(String name) {
        return deployment(name).path("spec").path("replicas").asInt(1);
    }

    private static JsonNode container(String deployment) {
        return deployment(deployment).path("spec").path("template").path("spec").path("containers").get(0);
    }

    private static Set<String> envNames(JsonNode container) {
        Set<String> names = new TreeSet<>();
        container.path("env").forEach(e -> names.add(e.path("name").asText()));
        return names;
    }

    /** A variable's value: literal, from ConfigMap vidgen-platform, or "secret:<name>" when a Secret holds it. */
    private static String env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (!e.path("name").asText().equals(name)) {
                continue;
            }
            if (e.has("value")) {
                return e.path("value").asText();
            }
            JsonNode from = e.path("valueFrom");
            if (from.has("secretKeyRef")) {
                return "secret:" + from.path("secretKeyRef").path("name").asText();
            }
            if (from.has("configMapKeyRef")) {
                assertThat(from.path("configMapKeyRef").path("name").asText()).isEqualTo("vidgen-platform");
                return platformConfig.get(from.path("configMapKeyRef").path("key").asText());
            }
        }
        throw new AssertionError(name + " is not set on " + container.path("name").asText());
    }
}
