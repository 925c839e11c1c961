package ai.vidgen.billing;

import static ai.vidgen.billing.Callers.asAdmin;
import static ai.vidgen.billing.Callers.asService;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.Topics;
import ai.vidgen.events.VideoArchived;
import ai.vidgen.events.catalog.KlingEndpoint;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.events.envelope.KafkaEventMessages;
import ai.vidgen.testsupport.infra.FreePorts;
import ai.vidgen.testsupport.infra.ManagedProcess;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Every query of the Grafana dashboards under {@code deploy/grafana/dashboards}, run by a real
 * Prometheus (Debian's {@code prometheus}) scraping this running billing-service after a load of
 * generations: each must return data, and the total-spend panel must equal the ledger's total.
 * Prometheus scrapes it as two replicas with the target labels a cluster adds, so a query that
 * counts a replica twice, or loses the endpoint to the operator's label of that name, fails.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class DashboardQueriesTest {

    static final Path DASHBOARDS = Path.of("..", "deploy", "grafana", "dashboards");
    static final String TOTAL_SPEND_PANEL = "Total spend (ledger)";
    static final String ENDPOINT_PANEL = "Attempts ended per minute by endpoint and outcome";
    /** What Grafana would substitute; the windows cover the load this test drives. */
    static final Map<String, String> GRAFANA_VARIABLES = Map.of(
            "$__rate_interval", "1m", "$__range", "10m", "$__interval", "15s", "$tenant", ".*");

    /**
     * The labels the Prometheus Operator gives a ServiceMonitor's targets, among them {@code endpoint}
     * (the port's name). The test scrapes this one service as two replicas of a rollout in progress
     * (each with its own pod, instance and pod-template hash), as a cluster would.
     */
    static final String OPERATOR_TARGET_LABELS =
            "namespace: vidgen, service: billing-service, endpoint: http, container: billing-service";

    private final EventCodec codec = new EventCodec("/vidgen/test");
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    @Inject
    Pool pool;

    @Test
    void everyDashboardQueryReturnsDataAndTheSpendPanelEqualsTheLedger() throws Exception {
        Map<String, String> queries = dashboardQueries();
        assertThat(queries).as("queries in " + DASHBOARDS.toAbsolutePath()).isNotEmpty();

        Path dir = Files.createTempDirectory("prometheus-");
        int port = FreePorts.allocate();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: billing-service
                    metrics_path: %1$s
                    static_configs:
                      - targets: ['127.0.0.1:%2$d']
                        labels: {%3$s, instance: '10.0.0.11:8080', pod: billing-service-7d9f4-abcde, pod_template_hash: 7d9f4}
                      - targets: ['127.0.0.1:%2$d']
                        labels: {%3$s, instance: '10.0.0.12:8080', pod: billing-service-5c2e8-fghij, pod_template_hash: 5c2e8}
                """.formatted(metrics.getPath(), metrics.getPort(), OPERATOR_TARGET_LABELS));
        String api = "http://127.0.0.1:" + port;
        try (ManagedProcess prometheus = ManagedProcess.start("prometheus", List.of(prometheusBinary(),
                        "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"),
                Map.of(), dir, dir.resolve("prometheus.log"));
                KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            // A scrape before the load, so that rate() sees the load as an increase.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(prometheus.isAlive()).as("prometheus runs; log:\n%s", prometheus.tail(20)).isTrue();
                assertThat(query(api, "billing_generation_outcomes_total"))
                        .as("scraped series; targets: %s", get(api + "/api/v1/targets")).isNotEmpty();
            });

            driveLoad(kafka);

            long ledgerTotal = ledgerTotal();
            assertThat(ledgerTotal).isPositive();
            String totalQuery = queries.get(TOTAL_SPEND_PANEL + " A");
            assertThat(totalQuery).as("the total-spend panel").isNotNull();
            // The gauges follow the ledger within one refresh and one scrape.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<JsonNode> result = query(api, substitute(totalQuery));
                assertThat(result).hasSize(1);
                assertThat(new BigDecimal(result.get(0).path("value").get(1).asText()))
                        .isEqualByComparingTo(BigDecimal.valueOf(ledgerTotal, 6));
            });

            // One line per Kling endpoint, although every target carries the operator's `endpoint` label.
            List<JsonNode> byEndpoint = query(api, substitute(queries.get(ENDPOINT_PANEL + " A")));
            assertThat(byEndpoint).as(ENDPOINT_PANEL).hasSizeGreaterThan(1)
                    .allSatisfy(line -> assertThat(line.path("metric").path(KlingEndpoint.METRIC_LABEL).asText())
                            .startsWith("fal-ai/kling-"));

            List<String> failures = new ArrayList<>();
            for (Map.Entry<String, String> q : queries.entrySet()) {
                try {
                    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(query(api, substitute(q.getValue())))
                            .as(q.getKey() + ": " + q.getValue())
                            .anySatisfy(sample -> assertThat(Double.parseDouble(sample.path("value").get(1).asText()))
                                    .isFinite()));
                } catch (AssertionError e) {
                    failures.add(q.getKey() + ": " + substitute(q.getValue()) + " → no finite sample");
                }
            }
            assertThat(failures).as("dashboard queries without data").isEmpty();
            // The tenant variable's values come from the spend gauge.
            assertThat(labelValues(api, "tenant", "billing_ledger_charged_micros")).isNotEmpty();
        } finally {
            deleteRecursively(dir);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theShippedPrometheusConfigIsValid() throws Exception {
        Path promtool = Path.of(prometheusBinary()).resolveSibling("promtool");
        assertThat(promtool).as("promtool next to prometheus").isExecutable();
        Path config = Path.of("..", "deploy", "prometheus", "prometheus.yml");
        Process check = new ProcessBuilder(promtool.toString(), "check", "config", config.toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor()).as(output).isZero();
    }

    /** The alert rules' own unit tests (deploy/prometheus/alerts-test.yml): the overrun alert fires on an overrun. */
    @Test
    void theShippedAlertRulesPassTheirTests() throws Exception {
        Path promtool = Path.of(prometheusBinary()).resolveSibling("promtool");
        Path tests = Path.of("..", "deploy", "prometheus", "alerts-test.yml");
        Process check = new ProcessBuilder(promtool.toString(), "test", "rules", tests.toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor()).as(output).isZero();
        assertThat(output).contains("SUCCESS");
    }

    /** Generations over several families, tiers, audio, voice control and two tenants; settled, released, open. */
    private void driveLoad(KafkaCompanion kafka) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String tenantA = "dash-a-" + run;
        String tenantB = "dash-b-" + run;
        asAdmin().contentType(ContentType.JSON).body("{\"limitMicros\": 100000000}").put("/v1/budgets/" + tenantA)
                .then().statusCode(200);
        record Gen(String id, String tenant, GenerationSpec spec) {
        }
        List<Gen> completed = List.of(
                new Gen(id(), tenantA, new GenerationSpec("fal-ai/kling-video/v3/pro/text-to-video", 5, true, false)),
                new Gen(id(), tenantA, new GenerationSpec("fal-ai/kling-video/o3/standard/text-to-video", 5, true, false)),
                new Gen(id(), tenantB, new GenerationSpec("fal-ai/kling-video/o3/pro/reference-to-video", 10, true, true)),
                new Gen(id(), tenantB, new GenerationSpec("fal-ai/kling-video/v2.6/pro/text-to-video", 10, false, false)),
                new Gen(id(), tenantA, new GenerationSpec("fal-ai/kling-video/v2.5-turbo/pro/text-to-video", 5, false, false)),
                new Gen(id(), tenantB, new GenerationSpec("fal-ai/kling-video/v3/standard/image-to-video", 7, false, false)));
        Gen failed = new Gen(id(), tenantA, new GenerationSpec("fal-ai/kling-video/v3/standard/image-to-video", 5, true, false));
        Gen retried = new Gen(id(), tenantB, new GenerationSpec("fal-ai/kling-video/o3/standard/text-to-video", 3, false, false));
        Gen measured = new Gen(id(), tenantA, new GenerationSpec("fal-ai/kling-video/v3/standard/motion-control", 10, false, false));
        Gen open = new Gen(id(), tenantA, new GenerationSpec("fal-ai/kling-video/v3/pro/text-to-video", 5, false, false));
        Stream.concat(completed.stream(), Stream.of(failed, retried, measured, open))
                .forEach(g -> reserve(g.id(), g.tenant(), g.spec()));

        long inference = 40_000;
        for (Gen g : completed) {
            produce(kafka, new GenerationCompleted(g.id(), g.tenant(), g.spec(), 1, "fal-" + g.id(), "http://x/v.mp4",
                    "video/mp4", 1000L, inference += 17_000));
            produce(kafka, new VideoArchived(g.id(), g.tenant(), "k", "s3://b/k", "video/mp4", 1000, "00",
                    g.spec().seconds() * 1000L, 1280, 720, false));
        }
        produce(kafka, new GenerationFailed(failed.id(), failed.tenant(), 1, "content_policy_violation", "no", false));
        produce(kafka, new GenerationFailed(retried.id(), retried.tenant(), 1, "downstream_service_error", "5xx", true));
        produce(kafka, new GenerationCompleted(retried.id(), retried.tenant(), retried.spec(), 2, "fal-r", "http://x/v.mp4",
                "video/mp4", 1000L, 95_000L));
        produce(kafka, new VideoArchived(retried.id(), retried.tenant(), "k", "s3://b/k", "video/mp4", 1000, "00",
                3_000, 1280, 720, false));
        produce(kafka, new GenerationCompleted(measured.id(), measured.tenant(), measured.spec(), 1, "fal-m",
                "http://x/v.mp4", "video/mp4", 1000L, 130_000L));
        produce(kafka, new VideoArchived(measured.id(), measured.tenant(), "k", "s3://b/k", "video/mp4", 1000, "00",
                7_300, 1280, 720, false));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (Gen g : completed) {
                assertThat(kinds(g.id())).contains("SETTLE");
            }
            assertThat(kinds(retried.id())).contains("SETTLE");
            assertThat(kinds(failed.id())).contains("RELEASE");
            assertThat(kinds(measured.id())).contains("SETTLE");
        });
        // The motion-control clip is billed at its measured length: 7.3 s → 8 s at $0.168.
        asAdmin().queryParam("generationId", measured.id()).get("/v1/ledger").then().statusCode(200)
                .body("find { it.kind == 'SETTLE' }.amountMicros", org.hamcrest.Matchers.equalTo(1_344_000));
    }

    private long ledgerTotal() {
        return pool.query("SELECT COALESCE(SUM(amount_micros), 0) AS total FROM ledger_entries "
                        + "WHERE kind IN ('SETTLE', 'CORRECTION')")
                .execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("total");
    }

    private List<JsonNode> query(String api, String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        // Prometheus answers 503 in plain text until its storage is open; an assertion (not a parse error)
        // lets the awaits around this call wait for it.
        if (response.statusCode() != 200) {
            fail("Prometheus answered " + response.statusCode() + " to " + promql + ": " + response.body());
        }
        JsonNode body = json.readTree(response.body());
        if (!"success".equals(body.path("status").asText())) {
            fail("Prometheus refused " + promql + ": " + response.body());
        }
        List<JsonNode> result = new ArrayList<>();
        body.path("data").path("result").forEach(result::add);
        return result;
    }

    private String get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    private List<String> labelValues(String api, String label, String metric) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/label/" + label
                + "/values?match[]=" + URLEncoder.encode(metric, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> values = new ArrayList<>();
        json.readTree(response.body()).path("data").forEach(v -> values.add(v.asText()));
        return values;
    }

    /** Every target expression of every panel, keyed by "panel title refId". */
    static Map<String, String> dashboardQueries() throws IOException {
        Map<String, String> queries = new LinkedHashMap<>();
        ObjectMapper mapper = new ObjectMapper();
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode dashboard = mapper.readTree(file.toFile());
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        String expr = target.path("expr").asText("");
                        if (!expr.isBlank()) {
                            queries.put(panel.path("title").asText() + " " + target.path("refId").asText(), expr);
                        }
                    }
                }
            }
        }
        return queries;
    }

    static String substitute(String expr) {
        String out = expr;
        for (Map.Entry<String, String> v : GRAFANA_VARIABLES.entrySet()) {
            out = out.replace(v.getKey(), v.getValue());
        }
        return out;
    }

    static String prometheusBinary() {
        String configured = System.getenv("PROMETHEUS_BIN");
        List<String> candidates = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        candidates.add("/usr/bin/prometheus");
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            candidates.add(dir + "/prometheus");
        }
        return candidates.stream().filter(c -> Files.isExecutable(Path.of(c))).findFirst().orElseThrow(() ->
                new AssertionError("Prometheus is not installed: the dashboard check needs Debian's `prometheus` "
                        + "(run scripts/ensure-tools.sh, i.e. apt-get install -y prometheus, or set PROMETHEUS_BIN)"));
    }

    private void reserve(String generation, String tenant, GenerationSpec spec) {
        asService().contentType(ContentType.JSON)
                .body(Map.of("generationId", generation, "tenantId", tenant, "spec", spec))
                .post("/v1/reservations").then().statusCode(200);
    }

    private List<String> kinds(String generation) {
        return asAdmin().queryParam("generationId", generation).get("/v1/ledger").then().statusCode(200)
                .extract().jsonPath().getList("kind", String.class);
    }

    private void produce(KafkaCompanion kafka, GenerationEvent event) {
        kafka.produceStrings().fromRecords(KafkaEventMessages.record(Topics.GENERATION_EVENTS, codec, event))
                .awaitCompletion();
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
