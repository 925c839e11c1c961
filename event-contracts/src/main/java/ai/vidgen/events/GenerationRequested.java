package ai.vidgen.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A validated generation was accepted at the front door.
 *
 * @param input    fal's own input object, exactly as it will be submitted
 * @param priority {@code interactive} or {@code batch}
 * @param deadline when set, the generation is aborted (and never billed) if not started by then
 */
public record GenerationRequested(
        String generationId,
        String tenantId,
        GenerationSpec spec,
        ObjectNode input,
        String priority,
        Instant deadline,
        Instant acceptedAt) implements GenerationEvent {
}
