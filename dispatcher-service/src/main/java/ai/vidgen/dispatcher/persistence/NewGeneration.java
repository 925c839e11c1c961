package ai.vidgen.dispatcher.persistence;

import ai.vidgen.dispatcher.domain.Priority;
import ai.vidgen.events.GenerationSpec;
import java.time.Instant;

/** A generation as it enters the queue (status RESERVING). */
public record NewGeneration(
        String generationId,
        String tenantId,
        GenerationSpec spec,
        String inputJson,
        Priority priority,
        Instant deadline,
        Instant acceptedAt) {
}
