package ai.vidgen.request.persistence;

import ai.vidgen.events.envelope.CloudEvent;
import ai.vidgen.request.domain.Estimate;
import ai.vidgen.request.domain.ValidatedRequest;
import java.time.Instant;

/**
 * Everything written when a request is accepted: the generation row and the event that
 * announces it, in one transaction.
 *
 * @param event the GenerationRequested CloudEvent, dated at acceptance, that the outbox relay
 *              will publish verbatim
 */
public record NewGeneration(
        String id,
        String tenantId,
        ValidatedRequest request,
        String idempotencyKey,
        String requestHash,
        Estimate estimate,
        Instant acceptedAt,
        CloudEvent event) {
}
