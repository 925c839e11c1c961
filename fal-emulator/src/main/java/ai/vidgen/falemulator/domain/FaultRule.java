package ai.vidgen.falemulator.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Inject {@code fault} into a share {@code rate} (0–1) of the requests, on one endpoint or on all.
 * Spelled {@code fault=rate[@endpoint id]} in configuration, comma-separated.
 */
public record FaultRule(Fault fault, double rate, Optional<String> endpoint) {

    public FaultRule {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("a fault rate is between 0 and 1, got " + rate);
        }
        endpoint = endpoint.map(e -> e.replaceAll("^/+|/+$", "")).filter(e -> !e.isBlank());
    }

    public boolean appliesTo(String endpointId) {
        return endpoint.map(endpointId::equals).orElse(true);
    }

    /** Parses {@code content_policy_violation=0.1@fal-ai/kling-video/v3/pro/text-to-video,submit_rate_limited=0.05}. */
    public static List<FaultRule> parseAll(String spec) {
        List<FaultRule> rules = new ArrayList<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("fault rule '%s' is not fault=rate[@endpoint]".formatted(part.trim()));
            }
            Fault fault = Fault.byId(kv[0]).orElseThrow(() -> new IllegalArgumentException(
                    "unknown fault '%s'; known: %s".formatted(kv[0].trim(),
                            Arrays.stream(Fault.values()).map(Fault::id).toList())));
            String[] rateAt = kv[1].split("@", 2);
            rules.add(new FaultRule(fault, Double.parseDouble(rateAt[0].trim()),
                    rateAt.length == 2 ? Optional.of(rateAt[1].trim()) : Optional.empty()));
        }
        return List.copyOf(rules);
    }
}
