package ai.vidgen.billing.domain;

import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.catalog.KlingEndpoint;

/**
 * The price of a generation under one price book version, in integer micro-dollars.
 *
 * @param amountMicros exactly {@code seconds × rateMicrosPerSecond}; overflow fails loudly
 */
public record Quote(
        String endpointId,
        String modelFamily,
        String tier,
        boolean audio,
        boolean voiceControl,
        int seconds,
        long rateMicrosPerSecond,
        long amountMicros,
        String priceBookVersion) {

    public static Quote of(GenerationSpec spec, int seconds, long rateMicrosPerSecond, String priceBookVersion) {
        KlingEndpoint endpoint = spec.endpoint();
        return new Quote(spec.endpointId(), endpoint.family().name(), endpoint.tier().name(), spec.audio(),
                spec.voiceControl(), seconds, rateMicrosPerSecond,
                Math.multiplyExact(rateMicrosPerSecond, (long) seconds), priceBookVersion);
    }

    /** The same rate and dimensions for another number of seconds (an output-decided length). */
    public Quote forSeconds(int billedSeconds) {
        return new Quote(endpointId, modelFamily, tier, audio, voiceControl, billedSeconds, rateMicrosPerSecond,
                Math.multiplyExact(rateMicrosPerSecond, (long) billedSeconds), priceBookVersion);
    }
}
