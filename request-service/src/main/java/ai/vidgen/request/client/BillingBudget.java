package ai.vidgen.request.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * billing-service's budget of a tenant for the current month (UTC).
 *
 * @param limitMicros     null: no budget (unlimited), which is not a limit of zero
 * @param remainingMicros null when there is no limit
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BillingBudget(String tenantId, Long limitMicros, long committedMicros, Long remainingMicros,
        Instant periodStart) {
}
