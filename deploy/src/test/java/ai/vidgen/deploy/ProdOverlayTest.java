package ai.vidgen.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.vidgen.events.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The production overlay: everything the base promises still holds, and on top of it the replicas
 * are spread and scaled within what the topics allow.
 */
class ProdOverlayTest extends PlatformManifestsTest {

    @Override
    Path kustomization() {
        return Path.of("overlays", "prod");
    }

    @Test
    void everyServiceRunsMoreThanOneReplicaSpreadOverZonesAndNodes() {
        assertThat(rendered.ofKind("Deployment")).allSatisfy(d -> {
            String name = RenderedManifests.name(d);
            assertThat(d.path("spec").path("replicas").asInt(1)).as(name + " replicas").isGreaterThanOrEqualTo(2);
            JsonNode spread = d.path("spec").path("template").path("spec").path("topologySpreadConstraints");
            assertThat(spread.findValuesAsText("topologyKey")).as(name)
                    .containsExactlyInAnyOrder("topology.kubernetes.io/zone", "kubernetes.io/hostname");
            // Spread per service, not all of the platform's pods together.
            spread.forEach(c -> assertThat(c.path("matchLabelKeys").toString()).as(name)
                    .contains("app.kubernetes.io/name"));
        });
    }

    /** A replica beyond the partition count gets no partition and idles; the lag scalers never go there. */
    @Test
    void theConsumersScaleOnTheirOwnLagWithinThePartitions() throws Exception {
        int partitions = RenderedManifests.of(Path.of("components", "strimzi-topics")).ofKind("KafkaTopic").stream()
                .filter(t -> Topics.GENERATION_EVENTS.equals(RenderedManifests.name(t)))
                .mapToInt(t -> t.path("spec").path("partitions").asInt()).findFirst().orElseThrow();
        List<JsonNode> scalers = rendered.ofKind("ScaledObject");
        assertThat(scalers).extracting(s -> s.path("spec").path("scaleTargetRef").path("name").asText())
                .containsExactlyInAnyOrder("fal-adapter", "storage-service", "billing-service");
        assertThat(scalers).allSatisfy(s -> {
            String target = s.path("spec").path("scaleTargetRef").path("name").asText();
            JsonNode trigger = s.path("spec").path("triggers").get(0);
            assertThat(trigger.path("type").asText()).isEqualTo("kafka");
            // Each service's consumer group is its application name (the platform's Kafka defaults).
            assertThat(trigger.path("metadata").path("consumerGroup").asText()).isEqualTo(target);
            assertThat(trigger.path("metadata").path("topic").asText()).isEqualTo(Topics.GENERATION_EVENTS);
            assertThat(env(target)).containsKey(trigger.path("metadata").path("bootstrapServersFromEnv").asText());
            assertThat(s.path("spec").path("maxReplicaCount").asInt()).as(target).isLessThanOrEqualTo(partitions);
            assertThat(s.path("spec").path("minReplicaCount").asInt()).as(target).isGreaterThanOrEqualTo(2);
        });
        JsonNode hpa = rendered.ofKind("HorizontalPodAutoscaler").get(0);
        assertThat(hpa.path("spec").path("scaleTargetRef").path("name").asText()).isEqualTo("request-service");
        assertThat(hpa.path("spec").path("minReplicas").asInt()).isGreaterThanOrEqualTo(2);
    }

    /**
     * Production generates no Secret (noSecretIsRendered): operators create vidgen-secrets from their own
     * env file, and it is the only Secret the services read, so that one command provides them all.
     */
    @Test
    void theServicesReadOnlyTheSecretOperatorsCreate() {
        assertThat(rendered.ofKind("Deployment")).allSatisfy(d -> d.path("spec").path("template").path("spec")
                .path("containers").findValues("secretKeyRef").forEach(ref -> assertThat(ref.path("name").asText())
                        .as(RenderedManifests.name(d) + " " + ref.path("key").asText()).isEqualTo("vidgen-secrets")));
    }

    @Test
    void theClusterMonitoringIsIncluded() {
        assertThat(rendered.ofKind("ServiceMonitor")).hasSize(1);
        assertThat(rendered.ofKind("PrometheusRule")).hasSize(1);
        assertThat(rendered.ofKind("ConfigMap")).filteredOn(m -> m.path("metadata").path("labels")
                .path("grafana_dashboard").asText().equals("1")).hasSize(2);
    }
}
