package ai.vidgen.request.domain;

import ai.vidgen.events.catalog.GenerationMode;
import ai.vidgen.events.catalog.KlingEndpoint;
import ai.vidgen.events.catalog.ModelFamily;
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
     */
    public record Param(String name, Type type, boolean required, Object defaultValue, List<String> values,
            String limits) {
    }

    private static final Map<KlingEndpoint, Map<String, Param>> PARAMS = new EnumMap<>(KlingEndpoint.class);

    static {
        for (KlingEndpoint e : KlingEndpoint.values()) {
            PARAMS.put(e, Collections.unmodifiableMap(build(e)));
        }
    }

    private InputCatalog() {
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
            add(p, "prompt", Type.STRING, false, null, "either prompt or multi_prompt, not both");
            add(p, "multi_prompt", Type.SHOTS, false, null, "1 to " + MAX_SHOTS + " shots {prompt, duration}; "
                    + "their durations add up to the video's, " + MIN_SECONDS + " to " + MAX_SECONDS + " s");
        } else {
            add(p, "prompt", Type.STRING, mode != GenerationMode.MOTION_CONTROL, null, null);
        }
        switch (mode) {
            case IMAGE_TO_VIDEO -> {
                add(p, o3 ? "image_url" : "start_image_url", Type.URL, true, null, "the first frame");
                add(p, "end_image_url", Type.URL, false, null, "the last frame");
            }
            case REFERENCE_TO_VIDEO -> {
                add(p, "start_image_url", Type.URL, false, null, "the first frame");
                add(p, "end_image_url", Type.URL, false, null, "the last frame");
                add(p, "image_urls", Type.URL_LIST, false, null, "referenced as @Image1, @Image2, …");
            }
            case MOTION_CONTROL -> {
                add(p, "image_url", Type.URL, true, null, "the character");
                add(p, "video_url", Type.URL, true, null, "the motion: at most " + MOTION_VIDEO_MAX_SECONDS_IMAGE
                        + " s with character_orientation image, " + MOTION_VIDEO_MAX_SECONDS_VIDEO + " s with video");
                add(p, "character_orientation", Type.ENUM, true, null, ORIENTATIONS, null);
                add(p, "keep_original_sound", Type.BOOLEAN, false, true, null);
            }
            case VIDEO_EDIT, VIDEO_REFERENCE -> {
                add(p, "video_url", Type.URL, true, null, "the video to " + (mode == GenerationMode.VIDEO_EDIT
                        ? "edit" : "restyle"));
                add(p, "image_urls", Type.URL_LIST, false, null, "referenced as @Image1, @Image2, …");
                add(p, "keep_audio", Type.BOOLEAN, false, null, null);
            }
            case TEXT_TO_IMAGE -> {
                add(p, "aspect_ratio", Type.ENUM, false, "1:1", IMAGE_ASPECT_RATIOS, null);
                add(p, "num_images", Type.INTEGER, false, 1, "a positive whole number");
                add(p, "resolution", Type.STRING, false, null, null);
                add(p, "output_format", Type.STRING, false, null, null);
                add(p, "image_urls", Type.URL_LIST, false, null, "referenced as @Image1, @Image2, …");
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
            add(p, "voice_ids", Type.STRING_LIST, false, null, "Kling O3 only");
        }
        if (!o3 && e.producesVideo() && mode != GenerationMode.MOTION_CONTROL) {
            add(p, "negative_prompt", Type.STRING, false, DEFAULT_NEGATIVE_PROMPT, null);
            add(p, "cfg_scale", Type.NUMBER, false, 0.5, "0 to 1");
        }
        if (e.producesVideo() && mode != GenerationMode.MOTION_CONTROL && mode != GenerationMode.VIDEO_EDIT
                && mode != GenerationMode.VIDEO_REFERENCE) {
            add(p, "seed", Type.INTEGER, false, null, "for reproducibility");
        }
        return p;
    }

    private static String elementLimits(KlingEndpoint e) {
        if (e.mode() == GenerationMode.MOTION_CONTROL) {
            return "at most " + MAX_MOTION_ELEMENTS + " image element {frontal_image_url, reference_image_urls}, "
                    + "only with character_orientation video; referenced as @Element1";
        }
        if (e.family() == ModelFamily.O3) {
            return "image sets {frontal_image_url, reference_image_urls} or videos {video_url}, referenced as "
                    + "@Element1, …; at most " + MAX_REFERENCES_WITH_VIDEO + " elements and images in all with a video";
        }
        return "image sets {frontal_image_url, reference_image_urls}, referenced as @Element1, …";
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
        p.put(name, new Param(name, type, required, def, values, limits));
    }
}
