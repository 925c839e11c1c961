package ai.vidgen.falemulator.queue;

import ai.vidgen.falemulator.config.EmulatorConfig;
import ai.vidgen.falemulator.domain.Fault;
import ai.vidgen.falemulator.domain.FaultRule;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The fault rules in force: {@code emulator.faults} at start, replaceable at runtime through the
 * admin API ({@code PUT /_emulator/faults}) so tests can switch faults on and off.
 */
@ApplicationScoped
public class Faults {

    private final List<FaultRule> configured;
    private volatile List<FaultRule> rules;

    public Faults(EmulatorConfig config) {
        this.configured = config.faults().map(FaultRule::parseAll).orElse(List.of());
        this.rules = configured;
    }

    public List<FaultRule> rules() {
        return rules;
    }

    public void replace(List<FaultRule> newRules) {
        rules = List.copyOf(newRules);
    }

    /** Back to the configured rules. */
    public void reset() {
        rules = configured;
    }

    /** Whether this fault strikes now, for this endpoint (each matching rule rolls once). */
    public boolean strikes(Fault fault, String endpointId) {
        for (FaultRule rule : rules) {
            if (rule.fault() == fault && rule.appliesTo(endpointId)
                    && (rule.rate() >= 1 || ThreadLocalRandom.current().nextDouble() < rule.rate())) {
                return true;
            }
        }
        return false;
    }

    /** The first failure of the runner that strikes this request, if any. */
    public Optional<Fault> runnerFailure(String endpointId) {
        for (Fault fault : Fault.values()) {
            if (fault.failsTheRequest() && strikes(fault, endpointId)) {
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }
}
