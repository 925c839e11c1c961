package ai.vidgen.localstack.chaos;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a chaos run did and found.
 *
 * @param terminal  accepted generations by terminal status (or the status they were stuck in)
 * @param refused   submissions the platform refused, by reason (a refusal is an answer, not a loss)
 * @param acts      the sabotage done, in order
 * @param faults    the fault rules the emulator applied meanwhile
 * @param settledIn from the end of the sabotage to every accepted generation being terminal
 */
public record ChaosReport(
        ChaosPlan plan,
        int submitted,
        int accepted,
        Map<String, Long> terminal,
        Map<String, Long> refused,
        int cancelsSent,
        List<Saboteur.Done> acts,
        String faults,
        Duration settledIn,
        Duration took,
        List<ChaosAudit.Check> checks) {

    public boolean passed() {
        return checks.stream().allMatch(ChaosAudit.Check::passed);
    }

    public void print(PrintStream out) {
        out.println("=== chaos report ===");
        out.printf("generations: %d submitted, %d accepted, %d refused; %d cancels sent; seed %d%n", submitted,
                accepted, submitted - accepted, cancelsSent, plan.seed());
        out.println("terminal states: " + terminal);
        out.println("refusals: " + refused);
        out.println("fal faults injected (share of calls): " + faults);
        out.printf("sabotage (%d acts):%n", acts.size());
        acts.forEach(act -> out.printf("  %s  %-36s back after %ds%n", act.at(), act.what(), act.took().toSeconds()));
        out.printf("settled %ds after the last act; whole run %ds%n", settledIn.toSeconds(), took.toSeconds());
        out.println("checks:");
        for (ChaosAudit.Check check : checks) {
            out.printf("  [%s] %s: %s%n", check.passed() ? "PASS" : "FAIL", check.name(), check.summary());
            check.examples().forEach(example -> out.println("         " + example));
        }
        out.println(passed() ? "RESULT: PASS" : "RESULT: FAIL");
        out.flush();
    }
}
