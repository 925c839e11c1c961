package ai.vidgen.events.catalog;

import static ai.vidgen.events.catalog.GenerationMode.*;
import static ai.vidgen.events.catalog.ModelFamily.*;
import static ai.vidgen.events.catalog.Tier.*;

import ai.vidgen.events.GenerationSpec;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Optional;

/**
 * Every Kling endpoint on fal that this platform runs, with the facts that routing and pricing
 * need. Parameter-level validation lives with the request-service; this is the shared core.
 */
public enum KlingEndpoint {
    V3_STANDARD_T2V("fal-ai/kling-video/v3/standard/text-to-video", V3, STANDARD, TEXT_TO_VIDEO, true),
    V3_PRO_T2V("fal-ai/kling-video/v3/pro/text-to-video", V3, PRO, TEXT_TO_VIDEO, true),
    V3_STANDARD_I2V("fal-ai/kling-video/v3/standard/image-to-video", V3, STANDARD, IMAGE_TO_VIDEO, true),
    V3_PRO_I2V("fal-ai/kling-video/v3/pro/image-to-video", V3, PRO, IMAGE_TO_VIDEO, true),
    V3_STANDARD_MOTION_CONTROL("fal-ai/kling-video/v3/standard/motion-control", V3, STANDARD, MOTION_CONTROL, false),
    O3_STANDARD_T2V("fal-ai/kling-video/o3/standard/text-to-video", O3, STANDARD, TEXT_TO_VIDEO, false),
    O3_PRO_T2V("fal-ai/kling-video/o3/pro/text-to-video", O3, PRO, TEXT_TO_VIDEO, false),
    O3_STANDARD_I2V("fal-ai/kling-video/o3/standard/image-to-video", O3, STANDARD, IMAGE_TO_VIDEO, false),
    O3_PRO_I2V("fal-ai/kling-video/o3/pro/image-to-video", O3, PRO, IMAGE_TO_VIDEO, false),
    O3_STANDARD_R2V("fal-ai/kling-video/o3/standard/reference-to-video", O3, STANDARD, REFERENCE_TO_VIDEO, false),
    O3_PRO_R2V("fal-ai/kling-video/o3/pro/reference-to-video", O3, PRO, REFERENCE_TO_VIDEO, false),
    O3_STANDARD_V2V_EDIT("fal-ai/kling-video/o3/standard/video-to-video/edit", O3, STANDARD, VIDEO_EDIT, false),
    O3_PRO_V2V_EDIT("fal-ai/kling-video/o3/pro/video-to-video/edit", O3, PRO, VIDEO_EDIT, false),
    O3_STANDARD_V2V_REFERENCE("fal-ai/kling-video/o3/standard/video-to-video/reference", O3, STANDARD, VIDEO_REFERENCE, false),
    O3_PRO_V2V_REFERENCE("fal-ai/kling-video/o3/pro/video-to-video/reference", O3, PRO, VIDEO_REFERENCE, false),
    O3_TEXT_TO_IMAGE("fal-ai/kling-image/o3/text-to-image", O3, PRO, TEXT_TO_IMAGE, false),
    V2_6_PRO_T2V("fal-ai/kling-video/v2.6/pro/text-to-video", V2_6, PRO, TEXT_TO_VIDEO, true),
    V2_5_TURBO_PRO_T2V("fal-ai/kling-video/v2.5-turbo/pro/text-to-video", V2_5_TURBO, PRO, TEXT_TO_VIDEO, false);

    /** fal's default when {@code duration} is absent. */
    public static final int DEFAULT_SECONDS = 5;

    /**
     * The metric label that carries an endpoint id. Not {@code endpoint}: the Prometheus Operator
     * gives every target an {@code endpoint} label (the scraped port's name), which would overwrite
     * ours and fold every endpoint into one series.
     */
    public static final String METRIC_LABEL = "fal_endpoint";

    private final String id;
    private final ModelFamily family;
    private final Tier tier;
    private final GenerationMode mode;
    private final boolean audioByDefault;

    KlingEndpoint(String id, ModelFamily family, Tier tier, GenerationMode mode, boolean audioByDefault) {
        this.id = id;
        this.family = family;
        this.tier = tier;
        this.mode = mode;
        this.audioByDefault = audioByDefault;
    }

    public String id() {
        return id;
    }

    public ModelFamily family() {
        return family;
    }

    public Tier tier() {
        return tier;
    }

    public GenerationMode mode() {
        return mode;
    }

    public boolean audioByDefault() {
        return audioByDefault;
    }

    /** True where the length of the output follows an input video rather than a requested duration. */
    public boolean outputDecidesDuration() {
        return mode == MOTION_CONTROL || mode == VIDEO_EDIT || mode == VIDEO_REFERENCE;
    }

    public boolean producesVideo() {
        return mode != TEXT_TO_IMAGE;
    }

    public static Optional<KlingEndpoint> byId(String id) {
        return Arrays.stream(values()).filter(e -> e.id.equals(id)).findFirst();
    }

    /**
     * The price-deciding dimensions of a (valid) fal input for this endpoint: the requested
     * seconds (the sum of the shots for multi-shot), audio, and voice control.
     */
    public GenerationSpec specFor(JsonNode input) {
        return new GenerationSpec(id, requestedSeconds(input), audio(input), voiceControl(input));
    }

    private int requestedSeconds(JsonNode input) {
        JsonNode shots = input.path("multi_prompt");
        if (shots.isArray() && !shots.isEmpty()) {
            int sum = 0;
            for (JsonNode shot : shots) {
                sum += parseSeconds(shot.path("duration"));
            }
            return sum;
        }
        return parseSeconds(input.path("duration"));
    }

    private static int parseSeconds(JsonNode duration) {
        if (duration.isMissingNode() || duration.isNull()) {
            return DEFAULT_SECONDS;
        }
        return Integer.parseInt(duration.asText().trim());
    }

    private boolean audio(JsonNode input) {
        JsonNode value = input.path("generate_audio");
        return value.isBoolean() ? value.booleanValue() : audioByDefault;
    }

    private boolean voiceControl(JsonNode input) {
        JsonNode voices = input.path("voice_ids");
        return family == O3 && voices.isArray() && !voices.isEmpty();
    }
}
