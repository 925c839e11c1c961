package ai.vidgen.localstack.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The reduced chaos run: 200 generations over every endpoint, five tenants with budgets, HTTP and
 * Kafka, cancels and deadlines, while every service, the broker and the database are killed or
 * stopped once and fal answers a tenth of the calls with a fault. Every check of the audit must
 * hold; the report is printed either way. {@code -Dvidgen.chaos.seed} replays a run.
 */
class ChaosIT {

    @Test
    void everyAcceptedGenerationEndsWithOneMoneyOutcomeThroughKillsOutagesAndFaults() {
        long seed = Long.getLong("vidgen.chaos.seed", System.currentTimeMillis());
        Path root = Path.of(System.getProperty("vidgen.project.root", "..")).toAbsolutePath().normalize();
        ChaosReport report = ChaosRun.run(ChaosPlan.reduced(seed), root, Path.of("target", "it-chaos").toAbsolutePath(),
                line -> System.out.println("[it-chaos] " + line));
        report.print(System.out);

        assertThat(report.acts()).extracting(act -> act.what())
                .as("every service, the broker and the database were hit")
                .anyMatch(what -> what.contains("request-service")).anyMatch(what -> what.contains("dispatcher-service"))
                .anyMatch(what -> what.contains("fal-adapter")).anyMatch(what -> what.contains("storage-service"))
                .anyMatch(what -> what.contains("billing-service")).anyMatch(what -> what.contains("kafka"))
                .anyMatch(what -> what.contains("postgresql"));
        assertThat(report.accepted()).as("most of the workload was accepted").isGreaterThan(report.submitted() / 2);
        assertThat(report.checks()).allSatisfy(check -> assertThat(check.passed())
                .as("%s: %s %s", check.name(), check.summary(), check.examples()).isTrue());
    }
}
