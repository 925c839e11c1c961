package ai.vidgen.falemulator.domain;

import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.catalog.KlingEndpoint;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the emulator will produce for a valid input: a clip or a set of stills, the
 * price-deciding dimensions fal would bill (seconds, audio, voice control, taken from the shared
 * catalog so the emulator and the platform agree on them), and the input media the runner
 * downloads first.
 *
 * @param video                the clip; for endpoints whose output follows the input video its
 *                             length is a placeholder until that video is read
 * @param image                the still, for text-to-image
 * @param imageCount           {@code num_images}
 * @param inputs               the media references the runner downloads before it starts
 * @param inputVideoMaxSeconds the longest input video the endpoint accepts, where one is documented
 */
public record GenerationPlan(KlingEndpoint endpoint, Optional<VideoSpec> video, Optional<ImageSpec> image,
                             int imageCount, boolean voiceControl, List<InputMedia> inputs,
                             OptionalInt inputVideoMaxSeconds) {

    public GenerationPlan {
        inputs = List.copyOf(inputs);
        if (video.isPresent() == image.isPresent()) {
            throw new IllegalArgumentException("a plan makes either a video or images");
        }
    }

    /** A video plan without input media. */
    public static GenerationPlan video(KlingEndpoint endpoint, VideoSpec video, boolean voiceControl) {
        return new GenerationPlan(endpoint, Optional.of(video), Optional.empty(), 0, voiceControl, List.of(),
                OptionalInt.empty());
    }

    /** Only for inputs that passed {@link KlingInputValidator}. */
    public static GenerationPlan of(KlingEndpoint endpoint, JsonNode input) {
        List<InputMedia> inputs = InputMedia.of(input);
        if (!endpoint.producesVideo()) {
            ImageSpec image = new ImageSpec(
                    ImageShape.parse(input.path("aspect_ratio").asText()).orElse(ImageShape.DEFAULT),
                    "2K".equals(input.path("resolution").asText()),
                    input.path("output_format").isTextual() ? input.path("output_format").asText() : "png");
            int count = input.path("num_images").canConvertToInt() ? input.path("num_images").asInt() : 1;
            return new GenerationPlan(endpoint, Optional.empty(), Optional.of(image), count, false, inputs,
                    OptionalInt.empty());
        }
        GenerationSpec spec = endpoint.specFor(input);
        AspectRatio aspect = KlingInputValidator.acceptsAspectRatio(endpoint)
                ? AspectRatio.parse(input.path("aspect_ratio").asText()).orElse(AspectRatio.DEFAULT)
                : AspectRatio.DEFAULT;
        int seconds = endpoint.outputDecidesDuration() ? KlingEndpoint.DEFAULT_SECONDS : spec.seconds();
        return new GenerationPlan(endpoint, Optional.of(new VideoSpec(seconds, aspect, spec.audio())), Optional.empty(),
                0, spec.voiceControl(), inputs, KlingInputValidator.inputVideoMaxSeconds(endpoint, input));
    }

    public boolean makesImages() {
        return image.isPresent();
    }

    /** The requested length; for endpoints whose output follows the input video, unknown until it is read. */
    public Optional<Integer> requestedSeconds() {
        return video.filter(v -> !endpoint.outputDecidesDuration()).map(VideoSpec::seconds);
    }

    public int seconds() {
        return video.orElseThrow().seconds();
    }

    public boolean audio() {
        return video.map(VideoSpec::audio).orElse(false);
    }

    /** The input whose length decides the output's: the top-level {@code video_url} of motion control and video-to-video. */
    public Optional<InputMedia> lengthDecidingVideo() {
        if (!endpoint.outputDecidesDuration()) {
            return Optional.empty();
        }
        return inputs.stream().filter(m -> m.loc().equals(List.of("body", "video_url"))).findFirst();
    }
}
