package ai.vidgen.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Renders a kustomization with kubectl's kustomize, as an operator would apply it, and checks
 * what a cluster would refuse or run badly: pods the {@code restricted} Pod Security level rejects,
 * probes that restart a pod while Flyway migrates, secrets written into the manifests, and settings
 * without which a service runs but loses work (videos on a pod's disk, webhooks one replica cannot
 * verify for another).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PlatformManifestsTest {

    private static final List<String> SERVICES = List.of("request-service", "dispatcher-service", "fal-adapter",
            "storage-service", "billing-service");
    /** Environment variables whose value is a secret: they may only come from a Secret. */
    private static final Pattern SECRET_NAME = Pattern.compile(".*(KEY|SECRET|PASSWORD|TOKEN).*");
    private static final int SHUTDOWN_TIMEOUT_SECONDS = 25;

    private final Map<String, JsonNode> deployments = new HashMap<>();
    private final List<JsonNode> objects = new ArrayList<>();
    RenderedManifests rendered;

    /** The kustomization to check, relative to deploy/. */
    abstract Path kustomization();

    @BeforeAll
    void render() throws Exception {
        rendered = RenderedManifests.of(kustomization());
        objects.addAll(rendered.objects());
        // The platform's own services; an overlay may run helpers beside them (dev: the fal emulator, MinIO).
        rendered.ofKind("Deployment").stream()
                .filter(d -> "vidgen".equals(d.path("metadata").path("labels").path("app.kubernetes.io/part-of").asText()))
                .forEach(d -> deployments.put(RenderedManifests.name(d), d));
    }

    @Test
    void everyServiceIsDeployedInTheNamespace() {
        assertThat(deployments).containsOnlyKeys(SERVICES);
        assertThat(objects).allSatisfy(o -> assertThat(o.path("metadata").path("namespace").asText())
                .as(name(o)).isEqualTo("vidgen"));
    }

    /** The controls of the restricted Pod Security Standard that a Deployment spells out. */
    @Test
    void everyPodPassesTheRestrictedPodSecurityLevel() {
        deployments.forEach((name, d) -> {
            JsonNode pod = d.path("spec").path("template").path("spec");
            assertThat(pod.path("hostNetwork").asBoolean(false)).as(name + " hostNetwork").isFalse();
            assertThat(pod.path("hostPID").asBoolean(false)).as(name + " hostPID").isFalse();
            assertThat(pod.path("hostIPC").asBoolean(false)).as(name + " hostIPC").isFalse();
            JsonNode podSecurity = pod.path("securityContext");
            assertThat(podSecurity.path("runAsNonRoot").asBoolean()).as(name + " runAsNonRoot").isTrue();
            assertThat(podSecurity.path("runAsUser").asInt(0)).as(name + " runAsUser").isPositive();
            assertThat(podSecurity.path("seccompProfile").path("type").asText()).as(name + " seccomp")
                    .isEqualTo("RuntimeDefault");
            pod.path("volumes").forEach(v -> assertThat(v.has("hostPath")).as(name + " hostPath volume").isFalse());
            pod.path("containers").forEach(c -> {
                JsonNode security = c.path("securityContext");
                String container = name + "/" + c.path("name").asText();
                assertThat(security.path("allowPrivilegeEscalation").asBoolean(true))
                        .as(container + " allowPrivilegeEscalation").isFalse();
                assertThat(security.path("privileged").asBoolean(false)).as(container + " privileged").isFalse();
                assertThat(security.path("capabilities").path("drop").toString()).as(container + " drops")
                        .isEqualTo("[\"ALL\"]");
                assertThat(security.path("capabilities").path("add").isMissingNode()).as(container + " adds")
                        .isTrue();
                assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as(container + " read-only root")
                        .isTrue();
                assertThat(c.path("ports").findValues("hostPort")).as(container + " hostPort").isEmpty();
            });
        });
    }

    @Test
    void aReadOnlyRootFileSystemStillHasAWritableTmp() {
        deployments.forEach((name, d) -> {
            JsonNode pod = d.path("spec").path("template").path("spec");
            JsonNode tmp = container(d).path("volumeMounts").findParent("mountPath");
            assertThat(tmp).as(name + " mounts /tmp").isNotNull();
            assertThat(tmp.path("mountPath").asText()).isEqualTo("/tmp");
            String volume = tmp.path("name").asText();
            assertThat(pod.path("volumes")).as(name + " volume " + volume)
                    .anySatisfy(v -> {
                        assertThat(v.path("name").asText()).isEqualTo(volume);
                        assertThat(v.has("emptyDir")).isTrue();
                    });
        });
    }

    /** Flyway runs at start: only a startup probe keeps liveness from restarting a pod mid-migration. */
    @Test
    void everyServiceIsProbedOnItsHealthRoutes() {
        deployments.forEach((name, d) -> {
            JsonNode c = container(d);
            assertThat(c.path("startupProbe").path("httpGet").path("path").asText()).as(name + " startup")
                    .isEqualTo("/q/health/started");
            assertThat(c.path("startupProbe").path("failureThreshold").asInt(3)
                    * c.path("startupProbe").path("periodSeconds").asInt(10)).as(name + " startup allowance (s)")
                    .isGreaterThanOrEqualTo(120);
            assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).as(name + " readiness")
                    .isEqualTo("/q/health/ready");
            assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).as(name + " liveness")
                    .isEqualTo("/q/health/live");
            assertThat(c.path("resources").path("requests").path("memory").isMissingNode()).as(name + " request")
                    .isFalse();
            assertThat(c.path("resources").path("limits").path("memory").isMissingNode()).as(name + " limit")
                    .isFalse();
        });
    }

    /** A pod gets the time to finish its work in flight: the preStop sleep plus the shutdown budget, and a margin. */
    @Test
    void everyPodStopsWithinItsGracePeriod() {
        deployments.forEach((name, d) -> {
            JsonNode c = container(d);
            JsonNode preStop = c.path("lifecycle").path("preStop").path("exec").path("command");
            assertThat(preStop.toString()).as(name + " preStop").startsWith("[\"sleep\"");
            int sleep = preStop.get(1).asInt();
            assertThat(d.path("spec").path("template").path("spec").path("terminationGracePeriodSeconds").asInt(30))
                    .as(name + " terminationGracePeriodSeconds")
                    .isGreaterThanOrEqualTo(sleep + SHUTDOWN_TIMEOUT_SECONDS + 10);
        });
    }

    @Test
    void secretsComeOnlyFromSecrets() {
        deployments.forEach((name, d) -> container(d).path("env").forEach(env -> {
            String variable = env.path("name").asText();
            if (SECRET_NAME.matcher(variable).matches()) {
                assertThat(env.has("value")).as(name + " " + variable + " written into the manifest").isFalse();
                assertThat(env.path("valueFrom").has("secretKeyRef")).as(name + " " + variable + " from a Secret")
                        .isTrue();
            }
        }));
    }

    /** Operators create the Secrets from their own values; no overlay meant for a real cluster carries one. */
    @Test
    void noSecretIsRendered() {
        assertThat(objects).noneSatisfy(o -> assertThat(o.path("kind").asText()).isEqualTo("Secret"));
    }

    @Test
    void storageServiceKeepsVideosInTheObjectStore() {
        Map<String, JsonNode> env = env("storage-service");
        assertThat(env.get("STORAGE_OBJECT_STORE").path("value").asText()).isEqualTo("s3");
        assertThat(env).containsKeys("STORAGE_S3_ENDPOINT", "STORAGE_S3_REGION", "STORAGE_S3_BUCKET");
        assertThat(env.get("STORAGE_S3_SECRET_ACCESS_KEY").path("valueFrom").has("secretKeyRef")).isTrue();
        assertThat(env.get("STORAGE_S3_ACCESS_KEY_ID").path("valueFrom").has("secretKeyRef")).isTrue();
    }

    /** Each replica must accept the webhooks whose URLs the other one signed, and fal must reach them. */
    @Test
    void falAdapterReplicasShareTheirWebhookSecretAndAddress() {
        Map<String, JsonNode> env = env("fal-adapter");
        assertThat(env.get("FAL_WEBHOOK_TOKEN_SECRET").path("valueFrom").path("secretKeyRef").path("key").asText())
                .isEqualTo("webhook-token-secret");
        assertThat(env).containsKey("FAL_WEBHOOK_PUBLIC_URL");
        assertThat(configValue(env.get("FAL_WEBHOOK_PUBLIC_URL"))).startsWith("https://");
        assertThat(configValue(env("request-service").get("REQUEST_STORAGE_PUBLIC_URL"))).startsWith("https://");
    }

    /** Only public routes leave the cluster, each on the host the services hand out in their links. */
    @Test
    void theIngressExposesThePublicRoutesOnly() {
        Map<String, List<String>> publicRoutes = Map.of(
                "request-service", List.of("/v1/"),
                "storage-service", List.of("/v1/videos/", "/v1/inputs/"),
                "fal-adapter", List.of("/fal/webhooks/"));
        Map<String, String> hostOf = new HashMap<>();
        List<JsonNode> ingresses = rendered.ofKind("Ingress");
        assertThat(ingresses).isNotEmpty();
        ingresses.forEach(ingress -> ingress.path("spec").path("rules").forEach(rule -> rule.path("http").path("paths")
                .forEach(path -> {
                    String service = path.path("backend").path("service").path("name").asText();
                    String prefix = path.path("path").asText();
                    assertThat(publicRoutes).as("a service with public routes").containsKey(service);
                    assertThat(publicRoutes.get(service)).as(service + " public routes").contains(prefix);
                    assertThat(path.path("backend").path("service").path("port").path("name").asText()).isEqualTo("http");
                    hostOf.put(service, rule.path("host").asText());
                })));
        assertThat(hostOf).containsOnlyKeys(publicRoutes.keySet());
        assertThat(URI.create(configValue(env("request-service").get("REQUEST_STORAGE_PUBLIC_URL"))).getHost())
                .as("the host of storage's signed links").isEqualTo(hostOf.get("storage-service"));
        assertThat(URI.create(configValue(env("fal-adapter").get("FAL_WEBHOOK_PUBLIC_URL"))).getHost())
                .as("the host fal sends webhooks to").isEqualTo(hostOf.get("fal-adapter"));
    }

    static JsonNode container(JsonNode deployment) {
        JsonNode containers = deployment.path("spec").path("template").path("spec").path("containers");
        assertThat(containers).as(name(deployment) + " containers").hasSize(1);
        return containers.get(0);
    }

    Map<String, JsonNode> env(String deployment) {
        Map<String, JsonNode> env = new HashMap<>();
        container(deployments.get(deployment)).path("env").forEach(e -> env.put(e.path("name").asText(), e));
        return env;
    }

    /** The value a variable gets, directly or from the ConfigMap it names. */
    private String configValue(JsonNode env) {
        if (env.has("value")) {
            return env.path("value").asText();
        }
        JsonNode ref = env.path("valueFrom").path("configMapKeyRef");
        return objects.stream()
                .filter(o -> "ConfigMap".equals(o.path("kind").asText())
                        && ref.path("name").asText().equals(o.path("metadata").path("name").asText()))
                .map(o -> o.path("data").path(ref.path("key").asText()).asText())
                .findFirst().orElse("");
    }

    private static String name(JsonNode object) {
        return object.path("kind").asText() + " " + RenderedManifests.name(object);
    }
}
