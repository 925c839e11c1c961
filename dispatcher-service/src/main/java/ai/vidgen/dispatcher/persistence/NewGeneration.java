package ai.vidgen.dispatcher.persistence;

import ai.vidgen.dispatcher.domain.Priority;
import ai.vidgen.events.GenerationSpec;
import java.time.Instant;

/**
 * A generation as it enters the queue (status RESERVING).
 *
 * @param spec                what runs (for a routed draft: the routed endpoint)
 * @param inputJson           fal's input for what runs
 * @param requestedEndpointId the endpoint the request named when draft routing chose another, else null
 * @param traceparent         the generation's trace (W3C traceparent), continued by every later event; may be null
 */
public record NewGeneration(
        String generationId,
        String tenantId,
        GenerationSpec spec,
        String inputJson,
        Priority priority,
        Instant deadline,
        Instant acceptedAt,
        boolean draft,
        String requestedEndpointId,
        String traceparent) {
}
