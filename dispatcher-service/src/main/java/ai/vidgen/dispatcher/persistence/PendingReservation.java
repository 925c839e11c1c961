package ai.vidgen.dispatcher.persistence;

import ai.vidgen.events.GenerationSpec;
import java.time.Instant;

/**
 * A generation claimed by this replica to reserve its cost with billing.
 *
 * @param traceparent the generation's trace as stored with it, or null
 */
public record PendingReservation(
        String generationId,
        String tenantId,
        GenerationSpec spec,
        Instant acceptedAt,
        int failedAttempts,
        String traceparent) {
}
