package ai.vidgen.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The components that hand the platform to a cluster's monitoring: every dashboard file becomes a
 * ConfigMap Grafana's sidecar loads, the ServiceMonitor scrapes every service of the base on its
 * metrics route, and the PrometheusRule carries exactly the rules promtool checks in alerts.yml.
 */
class MonitoringComponentsTest {

    private static final Path DASHBOARDS = Path.of("grafana", "dashboards");
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyDashboardFileIsAConfigMapForGrafana() throws Exception {
        List<JsonNode> maps = RenderedManifests.of(Path.of("grafana")).ofKind("ConfigMap");
        List<Path> files;
        try (Stream<Path> listed = Files.list(DASHBOARDS)) {
            files = listed.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        assertThat(maps).hasSameSizeAs(files);
        for (Path file : files) {
            String key = file.getFileName().toString();
            JsonNode map = maps.stream().filter(m -> m.path("data").has(key)).findFirst()
                    .orElseThrow(() -> new AssertionError("no ConfigMap carries " + key));
            assertThat(map.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
            assertThat(json.readTree(map.path("data").path(key).asText())).as(key)
                    .isEqualTo(json.readTree(Files.readString(file)));
        }
    }

    @Test
    void theServiceMonitorScrapesEveryServiceOnItsMetricsRoute() throws Exception {
        JsonNode monitor = RenderedManifests.of(Path.of("prometheus")).ofKind("ServiceMonitor").get(0);
        JsonNode selector = monitor.path("spec").path("selector").path("matchLabels");
        JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
        assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
        assertThat(endpoint.path("honorLabels").asBoolean()).isTrue();
        List<JsonNode> services = RenderedManifests.of(Path.of("base")).ofKind("Service");
        assertThat(services).hasSize(5).allSatisfy(service -> {
            selector.fields().forEachRemaining(label -> assertThat(
                    service.path("metadata").path("labels").path(label.getKey()).asText())
                    .as(RenderedManifests.name(service) + " label " + label.getKey())
                    .isEqualTo(label.getValue().asText()));
            assertThat(service.path("spec").path("ports").findValuesAsText("name"))
                    .as(RenderedManifests.name(service) + " ports").contains(endpoint.path("port").asText());
        });
    }

    @Test
    void thePrometheusRuleCarriesTheCheckedAlertRules() throws Exception {
        JsonNode rule = RenderedManifests.of(Path.of("prometheus")).ofKind("PrometheusRule").get(0);
        assertThat(rule.path("spec").path("groups")).isEqualTo(yaml(Path.of("prometheus", "alerts.yml")).path("groups"));
    }

    /** The combination deploy/README.md shows: the base with every component, as an operator's overlay. */
    @Test
    void theBaseAndEveryComponentRenderTogether() throws Exception {
        Path overlay = Files.createTempDirectory(Path.of("target"), "overlay-");
        Path deploy = Path.of("").toAbsolutePath();
        Files.writeString(overlay.resolve("kustomization.yaml"), """
                namespace: vidgen
                resources: [%s]
                components: [%s, %s, %s]
                """.formatted(relative(overlay, deploy.resolve("base")),
                relative(overlay, deploy.resolve("components/strimzi-topics")),
                relative(overlay, deploy.resolve("prometheus")), relative(overlay, deploy.resolve("grafana"))));
        RenderedManifests all = RenderedManifests.of(overlay);
        assertThat(all.ofKind("Deployment")).hasSize(5);
        assertThat(all.ofKind("KafkaTopic")).hasSize(4);
        assertThat(all.ofKind("ServiceMonitor")).hasSize(1);
        assertThat(all.ofKind("PrometheusRule")).hasSize(1);
        assertThat(all.objects()).allSatisfy(o -> assertThat(o.path("metadata").path("namespace").asText())
                .as(RenderedManifests.name(o)).isEqualTo("vidgen"));
    }

    private static String relative(Path from, Path to) {
        return from.toAbsolutePath().relativize(to).toString();
    }

    private static JsonNode yaml(Path file) throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    }
}
