package ai.vidgen.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A validated generation was accepted at the front door.
 *
 * @param input    fal's own input object, exactly as it will be submitted
 * @param priority {@code interactive} or {@code batch}
 * @param deadline when set, the generation is aborted (and never billed) if not started by then
 * @param draft    the owner accepts the cheapest compatible model for fast iteration; the
 *                 dispatcher may route it to another endpoint, and {@link GenerationDispatched}
 *                 says which one runs
 */
public record GenerationRequested(
        String generationId,
        String tenantId,
        GenerationSpec spec,
        ObjectNode input,
        String priority,
        Instant deadline,
        Instant acceptedAt,
        boolean draft) implements GenerationEvent {

    /** A request that runs exactly on the endpoint it names. */
    public GenerationRequested(String generationId, String tenantId, GenerationSpec spec, ObjectNode input,
                               String priority, Instant deadline, Instant acceptedAt) {
        this(generationId, tenantId, spec, input, priority, deadline, acceptedAt, false);
    }
}
