package ai.vidgen.request.domain;

import static ai.vidgen.request.domain.Violations.echo;
import static ai.vidgen.request.domain.Violations.typeOf;

import ai.vidgen.events.catalog.GenerationMode;
import ai.vidgen.events.catalog.KlingEndpoint;
import ai.vidgen.events.catalog.ModelFamily;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules fal's Kling endpoints put on their input object, checked before anything is spent
 * (a request fal refuses after queueing still costs a round trip, and a wrong duration changes the
 * price). Every rule reports into {@link Violations} and carries on, so one answer lists them all.
 *
 * <p>This covers the parameters the Kling 3.0 / O3 references document for text-to-video,
 * image-to-video and reference-to-video (prompt, multi_prompt, duration, aspect_ratio,
 * generate_audio, cfg_scale, shot_type, voice_ids, negative_prompt, seed, URLs). Each endpoint's
 * specific required fields (motion control, video edit, text-to-image) are added per mode in
 * {@link #checkModeSpecific}; unknown input fields pass through to fal unchanged.
 */
public final class KlingInputRules {

    /** fal's Kling V3/O3 {@code DurationEnum}: whole seconds as strings. */
    static final int MIN_SECONDS = 3;
    static final int MAX_SECONDS = 15;
    /** Kling 2.x renders 5 or 10 seconds. */
    static final Set<String> V2_DURATIONS = Set.of("5", "10");
    static final int MAX_SHOTS = 6;
    static final List<String> ASPECT_RATIOS = List.of("16:9", "9:16", "1:1");
    static final List<String> SHOT_TYPES = List.of("customize", "intelligent");

    private static final Set<GenerationMode> STORYBOARD_MODES = EnumSet.of(
            GenerationMode.TEXT_TO_VIDEO, GenerationMode.IMAGE_TO_VIDEO, GenerationMode.REFERENCE_TO_VIDEO);
    private static final Set<String> URL_SCHEMES = Set.of("https", "http", "data");

    /**
     * Fields that some endpoint requires besides the prompt, by endpoint. Only what a fal reference
     * in this repository documents is listed; the next catalog issue completes it.
     */
    private static final Map<KlingEndpoint, List<String>> REQUIRED_URLS = Map.of(
            KlingEndpoint.V3_STANDARD_I2V, List.of("start_image_url"),
            KlingEndpoint.V3_PRO_I2V, List.of("start_image_url"),
            KlingEndpoint.V3_STANDARD_MOTION_CONTROL, List.of("image_url", "video_url"));

    /** Adds to {@code violations} everything wrong with {@code input} for {@code endpoint}. */
    void check(KlingEndpoint endpoint, JsonNode input, Violations violations) {
        checkPrompts(endpoint, input, violations);
        checkDuration(endpoint, input, violations);
        checkEnum(input, "aspect_ratio", ASPECT_RATIOS, violations);
        checkEnum(input, "shot_type", SHOT_TYPES, violations);
        checkBoolean(input, "generate_audio", violations);
        checkCfgScale(input, violations);
        checkString(input, "negative_prompt", violations);
        checkSeed(input, violations);
        checkVoiceIds(endpoint, input, violations);
        checkUrls(input, violations);
        checkModeSpecific(endpoint, input, violations);
    }

    private static void checkPrompts(KlingEndpoint endpoint, JsonNode input, Violations v) {
        JsonNode prompt = present(input, "prompt");
        JsonNode shots = present(input, "multi_prompt");
        if (prompt != null && !(prompt.isTextual() && !prompt.asText().isBlank())) {
            v.add("/input/prompt", "prompt must be a non-empty string; got " + echo(prompt));
        }
        boolean storyboard = supportsStoryboard(endpoint);
        if (shots != null && !storyboard) {
            v.add("/input/multi_prompt", "multi_prompt is not supported by " + endpoint.id()
                    + "; multi-shot storyboards are for Kling V3/O3 text-, image- and reference-to-video");
        } else if (shots != null) {
            checkShots(shots, v);
        }
        if (storyboard) {
            // fal: "Either prompt or multi_prompt must be provided, but not both."
            if (prompt != null && shots != null) {
                v.add("/input/multi_prompt", "give either prompt or multi_prompt, not both");
            } else if (prompt == null && shots == null) {
                v.add("/input/prompt", "prompt is required (or multi_prompt for a multi-shot storyboard)");
            }
        } else if (prompt == null && endpoint.mode() != GenerationMode.MOTION_CONTROL) {
            v.add("/input/prompt", "prompt is required by " + endpoint.id());
        }
    }

    private static void checkShots(JsonNode shots, Violations v) {
        if (!shots.isArray()) {
            v.add("/input/multi_prompt", "multi_prompt must be an array of {prompt, duration} shots; got "
                    + typeOf(shots));
            return;
        }
        if (shots.isEmpty() || shots.size() > MAX_SHOTS) {
            v.add("/input/multi_prompt", "multi_prompt must hold 1 to " + MAX_SHOTS + " shots; got " + shots.size());
        }
        int total = 0;
        boolean allDurationsValid = true;
        for (int i = 0; i < shots.size(); i++) {
            JsonNode shot = shots.get(i);
            String at = "/input/multi_prompt/" + i;
            if (!shot.isObject()) {
                v.add(at, "each shot must be an object {prompt, duration}; got " + typeOf(shot));
                allDurationsValid = false;
                continue;
            }
            JsonNode prompt = present(shot, "prompt");
            if (prompt == null || !prompt.isTextual() || prompt.asText().isBlank()) {
                v.add(at + "/prompt", "each shot needs a prompt (a non-empty string); got " + echo(prompt));
            }
            JsonNode duration = present(shot, "duration");
            Integer seconds = wholeSecondsString(duration);
            if (seconds == null || seconds < 1 || seconds > MAX_SECONDS) {
                v.add(at + "/duration", "each shot needs a duration \"1\"..\"" + MAX_SECONDS
                        + "\" (a string); got " + echo(duration));
                allDurationsValid = false;
            } else {
                total += seconds;
            }
        }
        // The shots make one video, whose length fal bounds like a single shot's.
        if (allDurationsValid && !shots.isEmpty() && (total < MIN_SECONDS || total > MAX_SECONDS)) {
            v.add("/input/multi_prompt", "the shots' durations add up to " + total + " s; the video must be "
                    + MIN_SECONDS + " to " + MAX_SECONDS + " s");
        }
    }

    private static void checkDuration(KlingEndpoint endpoint, JsonNode input, Violations v) {
        JsonNode duration = present(input, "duration");
        if (duration == null) {
            return;
        }
        if (!endpoint.producesVideo()) {
            v.add("/input/duration", "duration does not apply to " + endpoint.id() + ", which makes an image");
            return;
        }
        if (isV2(endpoint)) {
            if (!duration.isTextual() || !V2_DURATIONS.contains(duration.asText())) {
                v.add("/input/duration", "duration must be \"5\" or \"10\" (a string) for " + endpoint.id()
                        + "; got " + echo(duration));
            }
            return;
        }
        Integer seconds = wholeSecondsString(duration);
        if (seconds == null || seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
            v.add("/input/duration", "duration must be one of \"" + MIN_SECONDS + "\"..\"" + MAX_SECONDS
                    + "\" (a string); got " + echo(duration));
        }
    }

    private static void checkCfgScale(JsonNode input, Violations v) {
        JsonNode cfg = present(input, "cfg_scale");
        if (cfg != null && (!cfg.isNumber() || cfg.doubleValue() < 0 || cfg.doubleValue() > 1)) {
            v.add("/input/cfg_scale", "cfg_scale must be a number from 0 to 1; got " + echo(cfg));
        }
    }

    private static void checkSeed(JsonNode input, Violations v) {
        JsonNode seed = present(input, "seed");
        if (seed != null && !(seed.isIntegralNumber() && seed.canConvertToLong())) {
            v.add("/input/seed", "seed must be an integer; got " + echo(seed));
        }
    }

    private static void checkVoiceIds(KlingEndpoint endpoint, JsonNode input, Violations v) {
        JsonNode voices = present(input, "voice_ids");
        if (voices == null) {
            return;
        }
        if (endpoint.family() != ModelFamily.O3) {
            // Voice control is an O3 feature; on V3 it would be silently ignored yet priced higher.
            v.add("/input/voice_ids", "voice_ids (voice control) is supported by Kling O3 endpoints only; "
                    + endpoint.id() + " is " + endpoint.family());
            return;
        }
        if (!voices.isArray()) {
            v.add("/input/voice_ids", "voice_ids must be an array of voice id strings; got " + typeOf(voices));
            return;
        }
        for (int i = 0; i < voices.size(); i++) {
            JsonNode id = voices.get(i);
            if (!id.isTextual() || id.asText().isBlank()) {
                v.add("/input/voice_ids/" + i, "each voice id must be a non-empty string; got " + echo(id));
            }
        }
    }

    /** Every {@code *_url} field is something fal can fetch: an absolute http(s) URL or a data URI. */
    private static void checkUrls(JsonNode input, Violations v) {
        for (Iterator<Map.Entry<String, JsonNode>> it = input.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().endsWith("_url") && !field.getValue().isNull() && !isFetchableUrl(field.getValue())) {
                v.add("/input/" + field.getKey(), field.getKey()
                        + " must be an absolute https URL (or a data URI); got " + echo(field.getValue()));
            }
        }
    }

    private static void checkModeSpecific(KlingEndpoint endpoint, JsonNode input, Violations v) {
        for (String field : REQUIRED_URLS.getOrDefault(endpoint, List.of())) {
            if (present(input, field) == null) {
                v.add("/input/" + field, field + " is required by " + endpoint.id());
            }
        }
        if (endpoint.mode() == GenerationMode.MOTION_CONTROL) {
            JsonNode orientation = present(input, "character_orientation");
            if (orientation == null) {
                v.add("/input/character_orientation", "character_orientation (image or video) is required by "
                        + endpoint.id());
            } else {
                checkEnum(input, "character_orientation", List.of("image", "video"), v);
            }
        }
    }

    private static void checkEnum(JsonNode input, String field, List<String> allowed, Violations v) {
        JsonNode value = present(input, field);
        if (value != null && (!value.isTextual() || !allowed.contains(value.asText()))) {
            v.add("/input/" + field, field + " must be one of " + String.join(", ", allowed) + "; got " + echo(value));
        }
    }

    private static void checkBoolean(JsonNode input, String field, Violations v) {
        JsonNode value = present(input, field);
        if (value != null && !value.isBoolean()) {
            v.add("/input/" + field, field + " must be true or false; got " + echo(value));
        }
    }

    private static void checkString(JsonNode input, String field, Violations v) {
        JsonNode value = present(input, field);
        if (value != null && !value.isTextual()) {
            v.add("/input/" + field, field + " must be a string; got " + typeOf(value));
        }
    }

    static boolean supportsStoryboard(KlingEndpoint endpoint) {
        return !isV2(endpoint) && STORYBOARD_MODES.contains(endpoint.mode());
    }

    private static boolean isV2(KlingEndpoint endpoint) {
        return endpoint.family() == ModelFamily.V2_6 || endpoint.family() == ModelFamily.V2_5_TURBO;
    }

    /** The field's value, or null when it is absent or JSON null (fal's own examples send nulls). */
    static JsonNode present(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** {@code "5"} → 5; anything that is not a string of plain digits → null. */
    static Integer wholeSecondsString(JsonNode value) {
        if (value == null || !value.isTextual()) {
            return null;
        }
        String text = value.asText();
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Integer.parseInt(text);
    }

    private static boolean isFetchableUrl(JsonNode value) {
        if (!value.isTextual()) {
            return false;
        }
        String text = value.asText();
        if (text.startsWith("data:")) {
            return text.indexOf(',') > 5;
        }
        try {
            URI uri = new URI(text);
            return uri.isAbsolute() && URL_SCHEMES.contains(uri.getScheme().toLowerCase())
                    && uri.getHost() != null && !uri.getHost().isBlank();
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
