package ai.vidgen.request.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** billing-service's usage report: charges from the ledger, grouped; integer micro-dollars. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BillingUsage(String tenantId, Instant from, Instant to, List<String> groupBy, List<Group> groups,
        long totalChargedMicros, long totalBilledSeconds) {

    public static final String CSV = "text/csv";

    /** One group: its dimension values by name, and its sums. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Group(Map<String, Object> group, long chargedMicros, long billedSeconds, long generations,
            long correctionsMicros) {
    }
}
