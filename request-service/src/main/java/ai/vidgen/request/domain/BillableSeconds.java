package ai.vidgen.request.domain;

import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.catalog.KlingEndpoint;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The seconds a generation is priced and reserved for. Most endpoints make the duration they are
 * asked for. Motion control and video-to-video make an output as long as their input video, and
 * fal bills that output: a reservation is an upper bound (billing charges at most the reserved
 * amount and books the rest as its own loss), so these are reserved for the input's length,
 * rounded up to whole seconds as fal bills, or for the endpoint's longest output when the length
 * is unknown.
 */
public final class BillableSeconds {

    /** A length this much over a whole second is read as that second (container rounding), not the next. */
    private static final double TOLERANCE = 0.0005;

    private BillableSeconds() {
    }

    /** Whole seconds as fal bills a length: rounded up, at least one. */
    public static int of(double seconds) {
        return (int) Math.max(1, Math.ceil(seconds - TOLERANCE));
    }

    /**
     * The request's spec before the input video is looked at: for an endpoint whose output follows
     * its input video, the endpoint's longest output; otherwise what {@link KlingEndpoint#specFor} derives.
     */
    public static GenerationSpec upperBound(KlingEndpoint endpoint, JsonNode input) {
        GenerationSpec spec = endpoint.specFor(input);
        return endpoint.outputDecidesDuration()
                ? withSeconds(spec, InputCatalog.maxOutputSeconds(endpoint, input))
                : spec;
    }

    /** The request priced at its input video's length when that is known; unchanged otherwise. */
    public static ValidatedRequest sized(ValidatedRequest request, Optional<Double> inputSeconds) {
        if (!request.endpoint().outputDecidesDuration() || inputSeconds.isEmpty()) {
            return request;
        }
        return new ValidatedRequest(request.endpoint(), request.input(),
                withSeconds(request.spec(), of(inputSeconds.get())), request.priority(), request.deadline(),
                request.metadata(), request.callbackUrl(), request.draft());
    }

    private static GenerationSpec withSeconds(GenerationSpec spec, int seconds) {
        return new GenerationSpec(spec.endpointId(), seconds, spec.audio(), spec.voiceControl());
    }
}
