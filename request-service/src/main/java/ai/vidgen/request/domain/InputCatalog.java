package ai.vidgen.request.domain;

import ai.vidgen.events.catalog.GenerationMode;
import ai.vidgen.events.catalog.KlingEndpoint;
import ai.vidgen.events.catalog.ModelFamily;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request side of the Kling catalog: which input parameters each endpoint of
 * {@link KlingEndpoint} takes on fal, their types, defaults and limits, as the fal references in
 * {@code shared/seeds} give them. {@link KlingInputRules} checks requests against it and
 * {@code GET /v1/catalog} publishes it.
 *
 * <p>Where two references disagree (the general Kling 3.0 page lists aspect_ratio and seed for
 * image-to-video, fal's V3 schema does not), the parameter is accepted: refusing what fal takes
 * would block a working request, while fal ignores what it does not know.
 */
public final class InputCatalog {

    /** fal's {@code negative_prompt} default on the endpoints that take one. */
    public static final String DEFAULT_NEGATIVE_PROMPT = "blur, distort, and low quality";
    public static final List<String> VIDEO_ASPECT_RATIOS = List.of("16:9", "9:16", "1:1");
    public static final List<String> IMAGE_ASPECT_RATIOS = List.of("16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9");
    public static final List<String> SHOT_TYPES = List.of("customize", "intelligent");
    public static final List<String> ORIENTATIONS = List.of("image", "video");
    public static final int MIN_SECONDS = 3;
    public static final int MAX_SECONDS = 15;
    public static final List<String> V2_DURATIONS = List.of("5", "10");
    public static final int MAX_SHOTS = 6;
    /** Elements plus reference images when a video is among the references (an element or the input video). */
    public static final int MAX_REFERENCES_WITH_VIDEO = 4;
    /** Motion control binds at most one (image) element. */
    public static final int MAX_MOTION_ELEMENTS = 1;
    /** Reference-video length limits of motion control, by character_orientation (seconds). */
    public static final int MOTION_VIDEO_MAX_SECONDS_IMAGE = 10;
    public static final int MOTION_VIDEO_MAX_SECONDS_VIDEO = 30;
    /**
     * The longest source video of O3 video-to-video (edit and reference), whose output is as long
     * as its source. fal's pages in shared/seeds name no limit; Kling's Omni video edit takes 3 to
     * 10 s sources. Only used as the upper bound a generation is reserved for when the source's
     * length cannot be read: a readable length is reserved as it is.
     */
    public static final int VIDEO_TO_VIDEO_MAX_SECONDS = 10;

    /*
     * Size limits. fal's published Kling schemas bound what each field may hold; a request over
     * them would be refused by fal after queueing (and a huge one would not even fit in an event).
     * Sources, as found in fal's model pages:
     * - prompts: fal-ai/kling-image/v3/text-to-image ("Text prompt for image generation. Max 2500
     *   characters."), fal-ai/kling-video/v3/turbo/pro/text-to-video ("keep the prompt under 2500
     *   characters"); Kling's own API bounds prompt and negative_prompt to 2500 characters alike;
     * - multi_prompt: "Multi-shot storyboard (1-6 shots)" (the same V3 turbo page);
     * - voice_ids: "maximum 2 voices per task" (fal-ai/kling-video/v3/standard/image-to-video);
     * - elements (KlingV3ComboElementInput): reference_image_urls "1-3 images supported", and "A
     *   request can only have one element with a video";
     * - references: "Maximum 7 total (elements + reference images + start image)" on fal's Kling
     *   omni reference-to-video, 4 when a video is among them (MAX_REFERENCES_WITH_VIDEO); Kling's
     *   omni image model takes up to 10 elements and reference images.
     * The start image is not counted here: where the schemas disagree, what fal takes is accepted.
     */
    /** Characters (Unicode code points) of prompt, negative_prompt and each shot's prompt. */
    public static final int MAX_PROMPT_CHARS = 2500;
    /** Voices one request may bind (O3). */
    public static final int MAX_VOICES = 2;
    /** Extra angles of one image element, besides its frontal image. */
    public static final int MAX_ELEMENT_REFERENCE_IMAGES = 3;
    /** Elements that are videos, in one request. */
    public static final int MAX_VIDEO_ELEMENTS = 1;
    /** Elements plus reference images of a video endpoint, without a video among them. */
    public static final int MAX_REFERENCES = 7;
    /** Elements plus reference images of the image endpoint. */
    public static final int MAX_IMAGE_REFERENCES = 10;
    /**
     * Characters of an http(s) URL. Not fal's figure (it names none): long enough for any signed
     * storage URL, short enough that a URL is never a way to ship a payload. data: URIs are bounded
     * by the request body limit instead.
     */
    public static final int MAX_URL_CHARS = 8192;
    /** Characters of the other free strings (voice ids, resolution, output_format): names, not text. */
    public static final int MAX_NAME_CHARS = 128;

    /** The JSON type fal expects. */
    public enum Type {
        STRING, DURATION, BOOLEAN, NUMBER, INTEGER, URL, URL_LIST, STRING_LIST, SHOTS, ELEMENTS, ENUM
    }

    /**
     * One input parameter.
     *
     * @param defaultValue what fal uses when it is absent (null: none)
     * @param values       the allowed values of an enum (or durations)
     * @param limits       the limit in words, for the catalog document
     * @param maxLength    the most characters a string may have (null: not a string, or an enum)
     * @param maxItems     the most entries an array may have (null: not an array, or no own bound)
     */
    public record Param(String name, Type type, boolean required, Object defaultValue, List<String> values,
            String limits, Integer maxLength, Integer maxItems) {
    }

    private static final Map<KlingEndpoint, Map<String, Param>> PARAMS = new EnumMap<>(KlingEndpoint.class);

    static {
        for (KlingEndpoint e : KlingEndpoint.values()) {
            PARAMS.put(e, Collections.unmodifiableMap(build(e)));
        }
    }

    private InputCatalog() {
    }

    /**
     * The longest output of an endpoint whose output is as long as its input video (motion
     * control by character_orientation, video-to-video): what a generation is reserved for when
     * the input's length is unknown.
     *
     * @throws IllegalArgumentException for an endpoint whose output length is requested
     */
    public static int maxOutputSeconds(KlingEndpoint endpoint, JsonNode input) {
        return switch (endpoint.mode()) {
            case MOTION_CONTROL -> "image".equals(input.path("character_orientation").asText())
                    ? MOTION_VIDEO_MAX_SECONDS_IMAGE : MOTION_VIDEO_MAX_SECONDS_VIDEO;
            case VIDEO_EDIT, VIDEO_REFERENCE -> VIDEO_TO_VIDEO_MAX_SECONDS;
            default -> throw new IllegalArgumentException(endpoint.id() + " makes the duration it is asked for");
        };
    }

    /** The parameters of {@code endpoint}, in documentation order. */
    public static Map<String, Param> params(KlingEndpoint endpoint) {
        return PARAMS.get(endpoint);
    }

    static boolean isV2(KlingEndpoint e) {
        return e.family() == ModelFamily.V2_6 || e.family() == ModelFamily.V2_5_TURBO;
    }

    /** Multi-shot storyboards (multi_prompt, shot_type): Kling 3.0 text-, image- and reference-to-video. */
    static boolean storyboard(KlingEndpoint e) {
        return !isV2(e) && (e.mode() == GenerationMode.TEXT_TO_VIDEO || e.mode() == GenerationMode.IMAGE_TO_VIDEO
                || e.mode() == GenerationMode.REFERENCE_TO_VIDEO);
    }

    private static Map<String, Param> build(KlingEndpoint e) {
        Map<String, Param> p = new LinkedHashMap<>();
        GenerationMode mode = e.mode();
        boolean o3 = e.family() == ModelFamily.O3;
        if (storyboard(e)) {
            add(p, "prompt", Type.STRING, false, null, "either prompt or multi_prompt, not both; at most "
                    + MAX_PROMPT_CHARS + " characters");
            add(p, "multi_prompt", Type.SHOTS, false, null, "1 to " + MAX_SHOTS + " shots {prompt, duration}; "
                    + "their durations add up to the video's, " + MIN_SECONDS + " to " + MAX_SECONDS + " s; each "
                    + "shot's prompt at most " + MAX_PROMPT_CHARS + " characters");
        } else {
            add(p, "prompt", Type.STRING, mode != GenerationMode.MOTION_CONTROL, null,
                    "at most " + MAX_PROMPT_CHARS + " characters");
        }
        switch (mode) {
            case IMAGE_TO_VIDEO -> {
                add(p, o3 ? "image_url" : "start_image_url", Type.URL, true, null, "the first frame");
                add(p, "end_image_url", Type.URL, false, null, "the last frame");
            }
            case REFERENCE_TO_VIDEO -> {
                add(p, "start_image_url", Type.URL, false, null, "the first frame");
                add(p, "end_image_url", Type.URL, false, null, "the last frame");
                add(p, "image_urls", Type.URL_LIST, false, null,
                        "referenced as @Image1, @Image2, …; " + referenceLimit(e));
            }
            case MOTION_CONTROL -> {
                add(p, "image_url", Type.URL, true, null, "the character");
                add(p, "video_url", Type.URL, true, null, "the motion: at most " + MOTION_VIDEO_MAX_SECONDS_IMAGE
                        + " s with character_orientation image, " + MOTION_VIDEO_MAX_SECONDS_VIDEO + " s with video; "
                        + "the output is as long and is priced at this video's length (at the orientation's maximum when it "
                        + "cannot be read)");
                add(p, "character_orientation", Type.ENUM, true, null, ORIENTATIONS, null);
                add(p, "keep_original_sound", Type.BOOLEAN, false, true, null);
            }
            case VIDEO_EDIT, VIDEO_REFERENCE -> {
                add(p, "video_url", Type.URL, true, null, "the video to " + (mode == GenerationMode.VIDEO_EDIT
                        ? "edit" : "restyle") + "; the output is as long and is priced at this video's length ("
                        + VIDEO_TO_VIDEO_MAX_SECONDS + " s when it cannot be read)");
                add(p, "image_urls", Type.URL_LIST, false, null,
                        "referenced as @Image1, @Image2, …; " + referenceLimit(e));
                add(p, "keep_audio", Type.BOOLEAN, false, null, null);
            }
            case TEXT_TO_IMAGE -> {
                add(p, "aspect_ratio", Type.ENUM, false, "1:1", IMAGE_ASPECT_RATIOS, null);
                add(p, "num_images", Type.INTEGER, false, 1, "a positive whole number");
                add(p, "resolution", Type.STRING, false, null, null);
                add(p, "output_format", Type.STRING, false, null, null);
                add(p, "image_urls", Type.URL_LIST, false, null,
                        "referenced as @Image1, @Image2, …; " + referenceLimit(e));
            }
            default -> {
            }
        }
        if (e.producesVideo() && !e.outputDecidesDuration()) {
            add(p, "duration", Type.DURATION, false, Integer.toString(KlingEndpoint.DEFAULT_SECONDS),
                    isV2(e) ? V2_DURATIONS : range(), null);
        }
        if (mode == GenerationMode.TEXT_TO_VIDEO || mode == GenerationMode.IMAGE_TO_VIDEO
                || mode == GenerationMode.REFERENCE_TO_VIDEO) {
            add(p, "aspect_ratio", Type.ENUM, false, "16:9", VIDEO_ASPECT_RATIOS, null);
        }
        if (e.family() != ModelFamily.V2_5_TURBO && e.producesVideo() && mode != GenerationMode.MOTION_CONTROL
                && mode != GenerationMode.VIDEO_EDIT && mode != GenerationMode.VIDEO_REFERENCE) {
            add(p, "generate_audio", Type.BOOLEAN, false, e.audioByDefault(), null);
        }
        if (storyboard(e)) {
            add(p, "shot_type", Type.ENUM, false, "customize", SHOT_TYPES, "for multi_prompt");
        }
        if (mode != GenerationMode.TEXT_TO_VIDEO || !isV2(e)) {
            add(p, "elements", Type.ELEMENTS, false, null, elementLimits(e));
        }
        if (o3 && e.producesVideo() && storyboard(e)) {
            add(p, "voice_ids", Type.STRING_LIST, false, null, "Kling O3 only; at most " + MAX_VOICES);
        }
        if (!o3 && e.producesVideo() && mode != GenerationMode.MOTION_CONTROL) {
            add(p, "negative_prompt", Type.STRING, false, DEFAULT_NEGATIVE_PROMPT,
                    "at most " + MAX_PROMPT_CHARS + " characters");
            add(p, "cfg_scale", Type.NUMBER, false, 0.5, "0 to 1");
        }
        if (e.producesVideo() && mode != GenerationMode.MOTION_CONTROL && mode != GenerationMode.VIDEO_EDIT
                && mode != GenerationMode.VIDEO_REFERENCE) {
            add(p, "seed", Type.INTEGER, false, null, "for reproducibility");
        }
        p.replaceAll((name, param) -> bounded(e, param));
        return p;
    }

    /** The machine-readable bounds of a parameter, from the limits above. */
    private static Param bounded(KlingEndpoint e, Param p) {
        Integer maxLength = switch (p.type()) {
            case STRING -> p.name().endsWith("prompt") ? MAX_PROMPT_CHARS : MAX_NAME_CHARS;
            case URL -> MAX_URL_CHARS;
            default -> null;
        };
        Integer maxItems = switch (p.type()) {
            case SHOTS -> MAX_SHOTS;
            case STRING_LIST -> MAX_VOICES;
            case ELEMENTS -> e.mode() == GenerationMode.MOTION_CONTROL ? MAX_MOTION_ELEMENTS : maxReferences(e);
            case URL_LIST -> maxReferences(e);
            default -> null;
        };
        return new Param(p.name(), p.type(), p.required(), p.defaultValue(), p.values(), p.limits(), maxLength,
                maxItems);
    }

    /** Elements plus reference images the endpoint takes in all (with a video: MAX_REFERENCES_WITH_VIDEO). */
    public static int maxReferences(KlingEndpoint e) {
        return e.producesVideo() ? MAX_REFERENCES : MAX_IMAGE_REFERENCES;
    }

    private static String referenceLimit(KlingEndpoint e) {
        return "at most " + maxReferences(e) + " elements and reference images in all"
                + (e.producesVideo() ? " (" + MAX_REFERENCES_WITH_VIDEO + " with a video)" : "");
    }

    private static String elementLimits(KlingEndpoint e) {
        if (e.mode() == GenerationMode.MOTION_CONTROL) {
            return "at most " + MAX_MOTION_ELEMENTS + " image element {frontal_image_url, reference_image_urls}, "
                    + "only with character_orientation video; referenced as @Element1";
        }
        String angles = "; each image set at most " + MAX_ELEMENT_REFERENCE_IMAGES + " reference_image_urls; ";
        if (e.family() == ModelFamily.O3) {
            return "image sets {frontal_image_url, reference_image_urls} or videos {video_url}, referenced as "
                    + "@Element1, …" + angles + "at most " + MAX_VIDEO_ELEMENTS + " video element; "
                    + referenceLimit(e);
        }
        return "image sets {frontal_image_url, reference_image_urls}, referenced as @Element1, …" + angles
                + referenceLimit(e);
    }

    private static List<String> range() {
        List<String> values = new ArrayList<>();
        for (int s = MIN_SECONDS; s <= MAX_SECONDS; s++) {
            values.add(Integer.toString(s));
        }
        return List.copyOf(values);
    }

    private static void add(Map<String, Param> p, String name, Type type, boolean required, Object def, String limits) {
        add(p, name, type, required, def, null, limits);
    }

    private static void add(Map<String, Param> p, String name, Type type, boolean required, Object def,
            List<String> values, String limits) {
        p.put(name, new Param(name, type, required, def, values, limits, null, null));
    }
}
