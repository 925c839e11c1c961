package ai.vidgen.request.domain;

import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.catalog.KlingEndpoint;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;

/**
 * A request that passed every rule, reduced to what the rest of the service needs.
 *
 * @param input    fal's input object, exactly as the client sent it and as it will reach fal
 * @param spec     the price-deciding dimensions, derived once here so estimate, row and event agree
 * @param deadline    null when the client set none
 * @param callbackUrl where to POST the signed terminal callback; null for none
 * @param draft       the client accepts the cheapest compatible endpoint (the dispatcher routes it)
 */
public record ValidatedRequest(
        KlingEndpoint endpoint,
        ObjectNode input,
        GenerationSpec spec,
        Priority priority,
        Instant deadline,
        Map<String, String> metadata,
        String callbackUrl,
        boolean draft) {
}
