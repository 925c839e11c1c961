package ai.vidgen.events;

import ai.vidgen.events.catalog.KlingEndpoint;

/**
 * What a generation asks fal for, reduced to the dimensions that decide its price.
 *
 * @param endpointId   the fal endpoint id, e.g. {@code fal-ai/kling-video/v3/standard/text-to-video}
 * @param seconds      the requested output length (the sum of the shots for multi-shot); for
 *                     endpoints whose output decides the length, the best estimate at admission
 * @param audio        whether native audio is generated
 * @param voiceControl whether voice ids are bound (O3 only)
 */
public record GenerationSpec(String endpointId, int seconds, boolean audio, boolean voiceControl) {

    public KlingEndpoint endpoint() {
        return KlingEndpoint.byId(endpointId).orElseThrow(
                () -> new IllegalStateException("not a Kling endpoint: " + endpointId));
    }
}
