package ai.vidgen.falemulator.domain;

import static ai.vidgen.events.catalog.GenerationMode.IMAGE_TO_VIDEO;
import static ai.vidgen.events.catalog.GenerationMode.MOTION_CONTROL;
import static ai.vidgen.events.catalog.GenerationMode.REFERENCE_TO_VIDEO;
import static ai.vidgen.events.catalog.GenerationMode.TEXT_TO_VIDEO;

import ai.vidgen.events.catalog.GenerationMode;
import ai.vidgen.events.catalog.KlingEndpoint;
import ai.vidgen.events.catalog.ModelFamily;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Checks a Kling input the way fal's runner would, answering with Pydantic-shaped errors (the v1
 * spelling, which is what Kling on fal was observed to return). Unknown fields are ignored, as
 * Pydantic does. The text-to-video rules follow fal's published schemas; the rules for the other
 * modes cover the required fields and the shared parameters only. Rules that need the downloaded
 * input media (an input video's length) are checked by {@link #inputVideoErrors} once it is read.
 */
public final class KlingInputValidator {

    public static final int MAX_PROMPT_CHARS = 2500;
    public static final int MAX_SHOTS = 6;
    public static final int MAX_TOTAL_SECONDS = 15;
    public static final int MAX_VOICE_IDS = 2;
    /** Kling image models: {@code num_images} 1..9 (fal's Kling image schema). */
    public static final int MAX_IMAGES = 9;
    /** Motion control's reference video: at most 10 s with character_orientation image, 30 s with video (seed 001). */
    public static final int MOTION_VIDEO_MAX_SECONDS_IMAGE = 10;
    public static final int MOTION_VIDEO_MAX_SECONDS_VIDEO = 30;

    private static final List<String> V3_DURATIONS =
            IntStream.rangeClosed(3, 15).mapToObj(Integer::toString).toList();
    private static final List<String> V2_DURATIONS = List.of("5", "10");
    private static final List<String> ASPECT_RATIOS =
            Arrays.stream(AspectRatio.values()).map(AspectRatio::value).toList();
    private static final List<String> SHOT_TYPES = List.of("customize", "intelligent");
    private static final List<String> ORIENTATIONS = List.of("image", "video");
    private static final Set<GenerationMode> PROMPTED_MODES = EnumSet.of(TEXT_TO_VIDEO, IMAGE_TO_VIDEO, REFERENCE_TO_VIDEO);

    private KlingInputValidator() {
    }

    /** Whether the endpoint takes {@code aspect_ratio}; elsewhere the frame follows an input image or video. */
    public static boolean acceptsAspectRatio(KlingEndpoint endpoint) {
        return endpoint.mode() == TEXT_TO_VIDEO || endpoint.mode() == REFERENCE_TO_VIDEO;
    }

    public static List<FieldError> validate(KlingEndpoint endpoint, JsonNode input) {
        if (input == null || !input.isObject()) {
            return List.of(FieldError.at(List.of("body"), "value is not a valid dict", "type_error.dict", null));
        }
        Errors errors = new Errors(input);
        if (!endpoint.producesVideo()) {
            return textToImage(errors);
        }
        boolean v2 = endpoint.family() == ModelFamily.V2_6 || endpoint.family() == ModelFamily.V2_5_TURBO;
        boolean multiShot = !v2 && PROMPTED_MODES.contains(endpoint.mode());

        errors.optionalString("prompt", MAX_PROMPT_CHARS);
        errors.optionalString("negative_prompt", MAX_PROMPT_CHARS);
        if (!endpoint.outputDecidesDuration()) {
            errors.optionalEnum(List.of("body", "duration"), input.get("duration"), v2 ? V2_DURATIONS : V3_DURATIONS);
        }
        if (acceptsAspectRatio(endpoint)) {
            errors.optionalEnum(List.of("body", "aspect_ratio"), input.get("aspect_ratio"), ASPECT_RATIOS);
        }
        errors.optionalBoolean("generate_audio");
        errors.optionalNumberInRange("cfg_scale", 0, 1);
        errors.optionalEnum(List.of("body", "shot_type"), input.get("shot_type"), SHOT_TYPES);
        errors.optionalStringList("voice_ids", MAX_VOICE_IDS);
        boolean hasShots = multiShot && errors.multiPrompt();

        if (v2) {
            errors.requiredString("prompt");
        } else if (PROMPTED_MODES.contains(endpoint.mode()) && !hasShots && isBlank(input.get("prompt"))) {
            errors.add(FieldError.at(List.of("body", "root"),
                    "Either 'prompt' or 'multi_prompt' must be provided.", "value_error", null));
        } else if (hasShots && !isBlank(input.get("prompt"))) {
            // fal's schemas: "Either prompt or multi_prompt must be provided, but not both" (seed 001).
            errors.add(FieldError.at(List.of("body", "root"),
                    "Provide either 'prompt' or 'multi_prompt', not both.", "value_error", null));
        }
        switch (endpoint.mode()) {
            case IMAGE_TO_VIDEO -> errors.requiredString(endpoint.family() == ModelFamily.O3 ? "image_url" : "start_image_url");
            case MOTION_CONTROL -> {
                errors.requiredString("image_url");
                errors.requiredString("video_url");
                if (errors.requiredString("character_orientation")) {
                    errors.optionalEnum(List.of("body", "character_orientation"), input.get("character_orientation"), ORIENTATIONS);
                }
            }
            case VIDEO_EDIT, VIDEO_REFERENCE -> {
                errors.requiredString("video_url");
                errors.requiredString("prompt");
            }
            default -> {
                // text-to-video and reference-to-video need no input media
            }
        }
        return errors.list();
    }

    /**
     * Kling O3 text-to-image, after fal's Kling image schema: a prompt, and optionally the frame
     * shape, resolution, count and file format of the stills. Video parameters are unknown fields
     * there and so are ignored.
     */
    private static List<FieldError> textToImage(Errors errors) {
        errors.optionalString("prompt", MAX_PROMPT_CHARS);
        errors.optionalString("negative_prompt", MAX_PROMPT_CHARS);
        errors.requiredString("prompt");
        errors.optionalEnum(List.of("body", "aspect_ratio"), errors.input.get("aspect_ratio"), ImageShape.spellings());
        errors.optionalEnum(List.of("body", "resolution"), errors.input.get("resolution"), ImageSpec.RESOLUTIONS);
        errors.optionalEnum(List.of("body", "output_format"), errors.input.get("output_format"), ImageSpec.FORMATS);
        errors.optionalIntegerInRange("num_images", 1, MAX_IMAGES);
        errors.optionalStringList("image_urls", Integer.MAX_VALUE);
        return errors.list();
    }

    /** The longest input video the endpoint takes, where its schema says (motion control, by orientation). */
    public static OptionalInt inputVideoMaxSeconds(KlingEndpoint endpoint, JsonNode input) {
        if (endpoint.mode() != MOTION_CONTROL) {
            return OptionalInt.empty();
        }
        return OptionalInt.of("image".equals(input.path("character_orientation").asText())
                ? MOTION_VIDEO_MAX_SECONDS_IMAGE : MOTION_VIDEO_MAX_SECONDS_VIDEO);
    }

    /** The runner's check of the downloaded input video whose length decides the output's. */
    public static Optional<FieldError> inputVideoErrors(GenerationPlan plan, InputVideo video) {
        OptionalInt max = plan.inputVideoMaxSeconds();
        if (max.isPresent() && video.seconds() > max.getAsInt()) {
            return Optional.of(FieldError.at(List.of("body", "video_url"),
                    "The video is %.1f seconds long; at most %d seconds are allowed.".formatted(video.seconds(), max.getAsInt()),
                    "video_duration_too_long", Map.of("max_duration", max.getAsInt())));
        }
        return Optional.empty();
    }

    private static boolean isBlank(JsonNode node) {
        return node == null || node.isNull() || (node.isTextual() && node.asText().isBlank());
    }

    /** Collects errors for one input; each check reports whether the field was present and valid. */
    private static final class Errors {
        private final JsonNode input;
        private final List<FieldError> list = new ArrayList<>();

        Errors(JsonNode input) {
            this.input = input;
        }

        List<FieldError> list() {
            return List.copyOf(list);
        }

        void add(FieldError error) {
            list.add(error);
        }

        /** Presence, and for fields no other check covers, the type; URLs may be long data URIs. */
        boolean requiredString(String field) {
            JsonNode node = input.get(field);
            if (node == null || node.isNull()) {
                list.add(FieldError.at(field, "field required", "value_error.missing"));
                return false;
            }
            if (field.equals("prompt")) {
                return node.isTextual(); // its type and length were checked with the optional fields
            }
            return string(List.of("body", field), node, Integer.MAX_VALUE);
        }

        void optionalString(String field, int maxChars) {
            JsonNode node = input.get(field);
            if (node != null && !node.isNull()) {
                string(List.of("body", field), node, maxChars);
            }
        }

        private boolean string(List<Object> loc, JsonNode node, int maxChars) {
            if (!node.isTextual()) {
                list.add(FieldError.at(loc, "str type expected", "type_error.str", null));
                return false;
            }
            if (node.asText().length() > maxChars) {
                list.add(FieldError.at(loc, "ensure this value has at most %d characters".formatted(maxChars),
                        "value_error.any_str.max_length", Map.of("limit_value", maxChars)));
                return false;
            }
            return true;
        }

        boolean optionalEnum(List<Object> loc, JsonNode node, List<String> permitted) {
            if (node == null || node.isNull()) {
                return true;
            }
            // Kling's enums are enums of strings: a JSON number 5 is not the member "5".
            if (!node.isTextual() || !permitted.contains(node.asText())) {
                String allowed = permitted.stream().map(v -> "'" + v + "'").collect(Collectors.joining(", "));
                list.add(FieldError.at(loc, "value is not a valid enumeration member; permitted: " + allowed,
                        "type_error.enum", Map.of("enum_values", permitted)));
                return false;
            }
            return true;
        }

        void optionalBoolean(String field) {
            JsonNode node = input.get(field);
            if (node != null && !node.isNull() && !node.isBoolean()) {
                list.add(FieldError.at(field, "value could not be parsed to a boolean", "type_error.bool"));
            }
        }

        void optionalNumberInRange(String field, double min, double max) {
            JsonNode node = input.get(field);
            if (node == null || node.isNull()) {
                return;
            }
            if (!node.isNumber()) {
                list.add(FieldError.at(field, "value is not a valid float", "type_error.float"));
            } else if (node.asDouble() < min) {
                list.add(FieldError.at(List.of("body", field), "ensure this value is greater than or equal to " + fmt(min),
                        "value_error.number.not_ge", Map.of("limit_value", min)));
            } else if (node.asDouble() > max) {
                list.add(FieldError.at(List.of("body", field), "ensure this value is less than or equal to " + fmt(max),
                        "value_error.number.not_le", Map.of("limit_value", max)));
            }
        }

        void optionalIntegerInRange(String field, int min, int max) {
            JsonNode node = input.get(field);
            if (node == null || node.isNull()) {
                return;
            }
            if (!node.isIntegralNumber()) {
                list.add(FieldError.at(field, "value is not a valid integer", "type_error.integer"));
            } else if (node.asLong() < min) {
                list.add(FieldError.at(List.of("body", field), "ensure this value is greater than or equal to " + min,
                        "value_error.number.not_ge", Map.of("limit_value", min)));
            } else if (node.asLong() > max) {
                list.add(FieldError.at(List.of("body", field), "ensure this value is less than or equal to " + max,
                        "value_error.number.not_le", Map.of("limit_value", max)));
            }
        }

        void optionalStringList(String field, int maxItems) {
            JsonNode node = input.get(field);
            if (node == null || node.isNull()) {
                return;
            }
            if (!node.isArray()) {
                list.add(FieldError.at(field, "value is not a valid list", "type_error.list"));
                return;
            }
            if (node.size() > maxItems) {
                list.add(FieldError.at(List.of("body", field), "ensure this value has at most %d items".formatted(maxItems),
                        "value_error.list.max_items", Map.of("limit_value", maxItems)));
            }
            for (int i = 0; i < node.size(); i++) {
                if (!node.get(i).isTextual()) {
                    list.add(FieldError.at(List.of("body", field, i), "str type expected", "type_error.str", null));
                }
            }
        }

        /** Checks {@code multi_prompt}; true when it holds at least one shot, valid or not. */
        boolean multiPrompt() {
            JsonNode shots = input.get("multi_prompt");
            if (shots == null || shots.isNull()) {
                return false;
            }
            if (!shots.isArray()) {
                list.add(FieldError.at("multi_prompt", "value is not a valid list", "type_error.list"));
                return true;
            }
            if (shots.size() > MAX_SHOTS) {
                list.add(FieldError.at(List.of("body", "multi_prompt"), "ensure this value has at most %d items".formatted(MAX_SHOTS),
                        "value_error.list.max_items", Map.of("limit_value", MAX_SHOTS)));
            }
            int total = 0;
            boolean allDurationsValid = true;
            for (int i = 0; i < shots.size(); i++) {
                JsonNode shot = shots.get(i);
                if (!shot.isObject()) {
                    list.add(FieldError.at(List.of("body", "multi_prompt", i), "value is not a valid dict", "type_error.dict", null));
                    allDurationsValid = false;
                    continue;
                }
                JsonNode prompt = shot.get("prompt");
                if (prompt == null || prompt.isNull()) {
                    list.add(FieldError.at(List.of("body", "multi_prompt", i, "prompt"), "field required", "value_error.missing", null));
                } else {
                    string(List.of("body", "multi_prompt", i, "prompt"), prompt, MAX_PROMPT_CHARS);
                }
                JsonNode duration = shot.get("duration");
                if (optionalEnum(List.of("body", "multi_prompt", i, "duration"), duration, V3_DURATIONS)) {
                    total += duration == null || duration.isNull() ? KlingEndpoint.DEFAULT_SECONDS : Integer.parseInt(duration.asText());
                } else {
                    allDurationsValid = false;
                }
            }
            if (allDurationsValid && total > MAX_TOTAL_SECONDS) {
                list.add(FieldError.at(List.of("body", "multi_prompt"),
                        "the shots' durations add up to %d seconds; at most %d are allowed".formatted(total, MAX_TOTAL_SECONDS),
                        "value_error", Map.of("limit_value", MAX_TOTAL_SECONDS)));
            }
            return !shots.isEmpty();
        }

        private static String fmt(double value) {
            return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
        }
    }
}
