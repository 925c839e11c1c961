package ai.vidgen.falemulator.domain;

import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.catalog.KlingEndpoint;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the emulator will produce for a valid input: the clip, plus the price-deciding
 * dimensions fal would bill (seconds, audio, voice control), taken from the shared catalog so the
 * emulator and the platform agree on them.
 */
public record GenerationPlan(KlingEndpoint endpoint, VideoSpec video, boolean voiceControl) {

    /** Only for inputs that passed {@link KlingInputValidator}. */
    public static GenerationPlan of(KlingEndpoint endpoint, JsonNode input) {
        GenerationSpec spec = endpoint.specFor(input);
        AspectRatio aspect = KlingInputValidator.acceptsAspectRatio(endpoint)
                ? AspectRatio.parse(input.path("aspect_ratio").asText()).orElse(AspectRatio.DEFAULT)
                : AspectRatio.DEFAULT;
        return new GenerationPlan(endpoint, new VideoSpec(spec.seconds(), aspect, spec.audio()), spec.voiceControl());
    }

    public int seconds() {
        return video.seconds();
    }

    public boolean audio() {
        return video.audio();
    }
}
