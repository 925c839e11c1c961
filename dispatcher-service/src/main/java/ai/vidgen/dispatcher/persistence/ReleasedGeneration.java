package ai.vidgen.dispatcher.persistence;

import ai.vidgen.dispatcher.domain.Priority;
import ai.vidgen.events.GenerationSpec;
import java.time.Duration;

/**
 * A generation just marked DISPATCHED, with what its GenerationDispatched event carries.
 *
 * @param waited      how long since it was first stored (the queue wait, for the first attempt)
 * @param traceparent the generation's trace as stored with it, or null
 */
public record ReleasedGeneration(
        String generationId,
        String tenantId,
        GenerationSpec spec,
        String inputJson,
        int attempt,
        Priority priority,
        String falPriority,
        Duration waited,
        String traceparent) {
}
