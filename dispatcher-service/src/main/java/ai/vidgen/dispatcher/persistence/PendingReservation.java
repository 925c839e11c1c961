package ai.vidgen.dispatcher.persistence;

import ai.vidgen.events.GenerationSpec;
import java.time.Instant;

/** A generation claimed by this replica to reserve its cost with billing. */
public record PendingReservation(
        String generationId,
        String tenantId,
        GenerationSpec spec,
        Instant acceptedAt,
        int failedAttempts) {
}
