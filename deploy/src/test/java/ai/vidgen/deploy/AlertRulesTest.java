package ai.vidgen.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The alert rules under promtool: they load, every unit test file passes (alerts-spend-test.yml
 * included, which billing-service's DashboardQueriesTest does not run), and every alert has a test
 * in which it stays quiet and one in which it fires.
 */
class AlertRulesTest {

    private static final Path PROMETHEUS = Path.of("prometheus");
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    @Test
    void theRulesLoadAndEveryUnitTestPasses() throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool", "test", "rules"));
        testFiles().forEach(f -> command.add(f.getFileName().toString()));
        assertThat(command).hasSizeGreaterThan(3);
        promtool(List.of("promtool", "check", "rules", "alerts.yml"));
        promtool(command);
    }

    @Test
    void everyAlertIsShownQuietAndFiring() throws Exception {
        Set<String> alerts = new TreeSet<>();
        yaml.readTree(PROMETHEUS.resolve("alerts.yml").toFile()).path("groups")
                .forEach(g -> g.path("rules").forEach(r -> alerts.add(r.path("alert").asText())));
        Set<String> quiet = new TreeSet<>();
        Set<String> firing = new TreeSet<>();
        for (Path file : testFiles()) {
            for (JsonNode test : yaml.readTree(file.toFile()).path("tests")) {
                for (JsonNode check : test.path("alert_rule_test")) {
                    (check.path("exp_alerts").isEmpty() ? quiet : firing).add(check.path("alertname").asText());
                }
            }
        }
        assertThat(alerts).isNotEmpty();
        assertThat(quiet).as("alerts tested quiet").containsAll(alerts);
        assertThat(firing).as("alerts tested firing").containsAll(alerts);
    }

    private static List<Path> testFiles() throws Exception {
        try (Stream<Path> files = Files.list(PROMETHEUS)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-test.yml")).sorted().toList();
        }
    }

    private static void promtool(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(PROMETHEUS.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command) + " finished").isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
    }
}
