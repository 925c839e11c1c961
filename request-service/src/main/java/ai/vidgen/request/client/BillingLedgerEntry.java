package ai.vidgen.request.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * One row of billing-service's append-only ledger: a reservation, settlement, release or
 * correction of one generation, with the dimensions it was priced by.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BillingLedgerEntry(String generationId, String tenantId, String kind, long amountMicros, int seconds,
        long rateMicrosPerSecond, String endpointId, String modelFamily, String tier, boolean audio,
        boolean voiceControl, String priceBookVersion, String reason, Instant createdAt) {
}
