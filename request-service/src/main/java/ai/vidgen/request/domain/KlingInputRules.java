package ai.vidgen.request.domain;

import static ai.vidgen.request.domain.InputCatalog.MAX_ELEMENT_REFERENCE_IMAGES;
import static ai.vidgen.request.domain.InputCatalog.MAX_NAME_CHARS;
import static ai.vidgen.request.domain.InputCatalog.MAX_PROMPT_CHARS;
import static ai.vidgen.request.domain.InputCatalog.MAX_REFERENCES_WITH_VIDEO;
import static ai.vidgen.request.domain.InputCatalog.MAX_SECONDS;
import static ai.vidgen.request.domain.InputCatalog.MAX_URL_CHARS;
import static ai.vidgen.request.domain.InputCatalog.MAX_VIDEO_ELEMENTS;
import static ai.vidgen.request.domain.InputCatalog.MAX_VOICES;
import static ai.vidgen.request.domain.InputCatalog.MAX_SHOTS;
import static ai.vidgen.request.domain.InputCatalog.MIN_SECONDS;
import static ai.vidgen.request.domain.Violations.echo;
import static ai.vidgen.request.domain.Violations.typeOf;

import ai.vidgen.events.catalog.GenerationMode;
import ai.vidgen.events.catalog.KlingEndpoint;
import ai.vidgen.events.catalog.ModelFamily;
import ai.vidgen.request.domain.InputCatalog.Param;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules fal's Kling endpoints put on their input object, checked against {@link InputCatalog}
 * before anything is spent (a request fal refuses after queueing still costs a round trip, and a
 * wrong duration changes the price). Every rule reports into {@link Violations} and carries on,
 * so one answer lists them all, at most one entry per field.
 */
public final class KlingInputRules {

    private static final Pattern ELEMENT_REF = Pattern.compile("@Element(\\d+)");
    private static final Pattern IMAGE_REF = Pattern.compile("@Image(\\d+)");

    /** Adds to {@code violations} everything wrong with {@code input} for {@code endpoint}. */
    void check(KlingEndpoint endpoint, JsonNode input, Violations v) {
        Map<String, Param> params = InputCatalog.params(endpoint);
        checkKnownFields(endpoint, params, input, v);
        checkPrompts(endpoint, params, input, v);
        for (Param param : params.values()) {
            JsonNode value = present(input, param.name());
            String at = "/input/" + param.name();
            if (value == null) {
                if (param.required() && !param.name().equals("prompt")) {
                    v.add(at, param.name() + " is required by " + endpoint.id()
                            + (param.limits() == null ? "" : " (" + param.limits() + ")"));
                }
                continue;
            }
            switch (param.type()) {
                case STRING -> {
                    if (param.name().equals("prompt")) {
                        break; // checkPrompts
                    }
                    if (!value.isTextual()) {
                        v.add(at, param.name() + " must be a string; got " + typeOf(value));
                    } else {
                        checkLength(at, param.name(), value, param.maxLength(), v);
                    }
                }
                case BOOLEAN -> {
                    if (!value.isBoolean()) {
                        v.add(at, param.name() + " must be true or false; got " + echo(value));
                    }
                }
                case ENUM -> {
                    if (!value.isTextual() || !param.values().contains(value.asText())) {
                        v.add(at, param.name() + " must be one of " + String.join(", ", param.values()) + "; got "
                                + echo(value));
                    }
                }
                case DURATION -> checkDuration(endpoint, param, value, v);
                case NUMBER -> {
                    if (!value.isNumber() || value.doubleValue() < 0 || value.doubleValue() > 1) {
                        v.add(at, param.name() + " must be a number from 0 to 1; got " + echo(value)
                                + " (fal's default is " + param.defaultValue() + ")");
                    }
                }
                case INTEGER -> {
                    boolean positive = param.name().equals("num_images");
                    if (!value.isIntegralNumber() || !value.canConvertToLong() || (positive && value.asLong() < 1)) {
                        v.add(at, param.name() + " must be " + (positive ? "a positive whole number" : "an integer")
                                + "; got " + echo(value));
                    }
                }
                case URL -> checkUrl(at, param.name(), value, v);
                case URL_LIST -> checkUrlList(at, param.name(), value, param.maxItems(), v);
                case STRING_LIST -> checkVoiceIds(value, v);
                case SHOTS -> checkShots(input, value, v);
                case ELEMENTS -> checkElements(endpoint, input, value, v);
                default -> {
                }
            }
        }
        checkReferences(endpoint, input, v);
        checkReferenceCount(endpoint, input, v);
        checkMotionControl(endpoint, input, v);
    }

    /**
     * At most {@code max} characters (Unicode code points, as fal counts them). The count is in
     * the message, never the text: a refused 5 MB prompt must not come back in the answer.
     */
    private static void checkLength(String at, String name, JsonNode text, int max, Violations v) {
        String s = text.asText();
        if (s.length() > max && s.codePointCount(0, s.length()) > max) {
            v.add(at, name + " is at most " + max + " characters; got " + s.codePointCount(0, s.length()));
        }
    }

    /**
     * A field the endpoint does not take is refused rather than passed on: fal would ignore it
     * silently (a misspelt "negative_promt") or refuse it after queueing.
     */
    private static void checkKnownFields(KlingEndpoint endpoint, Map<String, Param> params, JsonNode input,
            Violations v) {
        for (Iterator<Map.Entry<String, JsonNode>> it = input.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            if (params.containsKey(name) || field.getValue().isNull()) {
                continue;
            }
            String at = Violations.pointer("/input", name);
            if (name.equals("voice_ids") && endpoint.family() != ModelFamily.O3) {
                // Voice control is an O3 feature; elsewhere it would be silently ignored.
                v.add(at, "voice_ids (voice control) is supported by Kling O3 endpoints only (text-, image- and "
                        + "reference-to-video); " + endpoint.id() + " is " + endpoint.family());
            } else if (name.equals("multi_prompt")) {
                v.add(at, "multi_prompt is not supported by " + endpoint.id()
                        + "; multi-shot storyboards are for Kling V3/O3 text-, image- and reference-to-video");
            } else if (name.equals("duration") && !endpoint.producesVideo()) {
                v.add(at, "duration does not apply to " + endpoint.id() + ", which makes an image");
            } else if (name.equals("duration")) {
                v.add(at, "duration does not apply to " + endpoint.id() + ": the output follows the input video");
            } else if (name.equals("generate_audio") && endpoint.family() == ModelFamily.V2_5_TURBO) {
                v.add(at, endpoint.id() + " renders no audio; remove generate_audio or use Kling v2.6 pro");
            } else {
                v.add(at, Violations.name(name) + " is not a parameter of " + endpoint.id() + "; its parameters are "
                        + String.join(", ", params.keySet()));
            }
        }
    }

    private static void checkPrompts(KlingEndpoint endpoint, Map<String, Param> params, JsonNode input,
            Violations v) {
        JsonNode prompt = present(input, "prompt");
        if (prompt != null && !(prompt.isTextual() && !prompt.asText().isBlank())) {
            v.add("/input/prompt", "prompt must be a non-empty string; got " + echo(prompt));
            return;
        }
        if (prompt != null) {
            checkLength("/input/prompt", "prompt", prompt, MAX_PROMPT_CHARS, v);
        }
        if (InputCatalog.storyboard(endpoint)) {
            JsonNode shots = present(input, "multi_prompt");
            // fal: "Either prompt or multi_prompt must be provided, but not both."
            if (prompt != null && shots != null) {
                v.add("/input/multi_prompt", "give either prompt or multi_prompt, not both");
            } else if (prompt == null && shots == null) {
                v.add("/input/prompt", "prompt is required (or multi_prompt for a multi-shot storyboard)");
            }
        } else if (prompt == null && params.get("prompt").required()) {
            v.add("/input/prompt", "prompt is required by " + endpoint.id());
        }
    }

    private static void checkDuration(KlingEndpoint endpoint, Param param, JsonNode duration, Violations v) {
        if (InputCatalog.isV2(endpoint)) {
            if (!duration.isTextual() || !param.values().contains(duration.asText())) {
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

    private static void checkShots(JsonNode input, JsonNode shots, Violations v) {
        if (!shots.isArray()) {
            v.add("/input/multi_prompt", "multi_prompt must be an array of {prompt, duration} shots; got "
                    + typeOf(shots));
            return;
        }
        if (shots.isEmpty() || shots.size() > MAX_SHOTS) {
            v.add("/input/multi_prompt", "multi_prompt must hold 1 to " + MAX_SHOTS + " shots; got " + shots.size());
            return;
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
            } else {
                checkLength(at + "/prompt", "a shot's prompt", prompt, MAX_PROMPT_CHARS, v);
            }
            JsonNode duration = present(shot, "duration");
            Integer seconds = wholeSecondsString(duration);
            if (seconds == null || seconds < 1 || seconds > MAX_SECONDS) {
                v.add(at + "/duration", "each shot needs a duration \"1\"..\"" + MAX_SECONDS
                        + "\" (a string of whole seconds); got " + echo(duration));
                allDurationsValid = false;
            } else {
                total += seconds;
            }
        }
        if (!allDurationsValid) {
            return;
        }
        // The shots make one video, whose length fal bounds like a single shot's.
        if (total > MAX_SECONDS || total < MIN_SECONDS) {
            v.add("/input/multi_prompt", "multi_prompt durations add up to " + total + " s; the video must be "
                    + MIN_SECONDS + " to " + MAX_SECONDS + " s");
            return;
        }
        Integer whole = wholeSecondsString(present(input, "duration"));
        if (whole != null && whole >= MIN_SECONDS && whole <= MAX_SECONDS && whole != total) {
            v.add("/input/multi_prompt", "multi_prompt durations add up to " + total + " s but duration is "
                    + whole + " s; make them equal or leave duration out");
        }
    }

    private static void checkElements(KlingEndpoint endpoint, JsonNode input, JsonNode elements, Violations v) {
        if (!elements.isArray()) {
            v.add("/input/elements", "elements must be an array of image sets {frontal_image_url, reference_image_urls}"
                    + " or videos {video_url}; got " + typeOf(elements));
            return;
        }
        boolean videosAllowed = endpoint.family() == ModelFamily.O3;
        // Motion control's one element is checkMotionControl's; this bound is against a flood.
        int max = InputCatalog.maxReferences(endpoint);
        if (elements.size() > max) {
            // Counted, not checked one by one: a flood of elements gets one answer, not one per element.
            v.add("/input/elements", "elements holds at most " + max + " entries for " + endpoint.id() + "; got "
                    + elements.size());
            return;
        }
        int videos = 0;
        for (int i = 0; i < elements.size(); i++) {
            JsonNode element = elements.get(i);
            String at = "/input/elements/" + i;
            if (!element.isObject()) {
                v.add(at, "each element must be an object; got " + typeOf(element));
                continue;
            }
            JsonNode frontal = present(element, "frontal_image_url");
            JsonNode video = present(element, "video_url");
            if (frontal != null && video != null) {
                v.add(at, "an element is either an image set (frontal_image_url) or a video (video_url), not both");
            } else if (video != null) {
                if (!videosAllowed) {
                    v.add(at + "/video_url", "video elements are a Kling O3 feature; " + endpoint.id()
                            + " takes image sets {frontal_image_url, reference_image_urls}");
                } else {
                    checkUrl(at + "/video_url", "video_url", video, v);
                    if (++videos > MAX_VIDEO_ELEMENTS) {
                        v.add(at + "/video_url", "at most " + MAX_VIDEO_ELEMENTS
                                + " element may be a video; make this one an image set");
                    }
                }
            } else if (frontal != null) {
                checkUrl(at + "/frontal_image_url", "frontal_image_url", frontal, v);
                JsonNode refs = present(element, "reference_image_urls");
                if (refs != null) {
                    checkUrlList(at + "/reference_image_urls", "reference_image_urls", refs,
                            MAX_ELEMENT_REFERENCE_IMAGES, v);
                }
            } else {
                v.add(at, "each element needs frontal_image_url (with optional reference_image_urls)"
                        + (videosAllowed ? " or video_url" : ""));
            }
            for (Iterator<String> names = element.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!List.of("frontal_image_url", "reference_image_urls", "video_url").contains(name)
                        && !element.get(name).isNull()) {
                    v.add(Violations.pointer(at, name), Violations.name(name)
                            + " is not a field of an element; use frontal_image_url, reference_image_urls"
                            + (videosAllowed ? " or video_url" : ""));
                }
            }
        }
    }

    /**
     * Elements and reference images together: at most 7 (10 for the image endpoint), 4 when a
     * video is among the references (a video element, or video-to-video's input).
     */
    private static void checkReferenceCount(KlingEndpoint endpoint, JsonNode input, Violations v) {
        if (endpoint.mode() == GenerationMode.MOTION_CONTROL) {
            return; // one element at most: checkMotionControl
        }
        JsonNode elementList = present(input, "elements");
        JsonNode imageList = present(input, "image_urls");
        int elements = elementList != null && elementList.isArray() ? elementList.size() : 0;
        int images = imageList != null && imageList.isArray() ? imageList.size() : 0;
        boolean withVideo = (elementList != null && elementList.isArray() && hasVideoElement(elementList))
                || endpoint.mode() == GenerationMode.VIDEO_EDIT || endpoint.mode() == GenerationMode.VIDEO_REFERENCE;
        int max = withVideo ? MAX_REFERENCES_WITH_VIDEO : InputCatalog.maxReferences(endpoint);
        if (elements + images > max) {
            v.add(elements > 0 ? "/input/elements" : "/input/image_urls", (withVideo ? "with a video, at most "
                    : "at most ") + max + " elements and reference images in all; got " + elements + " elements and "
                    + images + " image_urls");
        }
    }

    /** @ElementN and @ImageN in the prompts must name an element or reference image that exists. */
    private static void checkReferences(KlingEndpoint endpoint, JsonNode input, Violations v) {
        JsonNode elements = present(input, "elements");
        JsonNode images = present(input, "image_urls");
        int elementCount = elements != null && elements.isArray() ? elements.size() : 0;
        int imageCount = images != null && images.isArray() ? images.size() : 0;
        boolean takesImages = InputCatalog.params(endpoint).containsKey("image_urls");
        List<String[]> prompts = new ArrayList<>();
        JsonNode prompt = present(input, "prompt");
        if (prompt != null && prompt.isTextual()) {
            prompts.add(new String[] {"/input/prompt", prompt.asText()});
        }
        JsonNode shots = present(input, "multi_prompt");
        if (shots != null && shots.isArray()) {
            for (int i = 0; i < shots.size(); i++) {
                JsonNode p = shots.get(i).path("prompt");
                if (p.isTextual()) {
                    prompts.add(new String[] {"/input/multi_prompt/" + i + "/prompt", p.asText()});
                }
            }
        }
        for (String[] p : prompts) {
            Integer element = outOfRange(ELEMENT_REF.matcher(p[1]), elementCount);
            Integer image = outOfRange(IMAGE_REF.matcher(p[1]), takesImages ? imageCount : 0);
            if (element != null) {
                v.add(p[0], "the prompt refers to @Element" + element + " but elements holds " + elementCount
                        + (elementCount == 0 ? "; add elements or remove the reference" : "; use @Element1..@Element"
                        + elementCount));
            } else if (image != null && !takesImages) {
                v.add(p[0], "the prompt refers to @Image" + image + " but " + endpoint.id()
                        + " takes no reference images (image_urls); @ImageN is for Kling O3 reference and video-to-video");
            } else if (image != null) {
                v.add(p[0], "the prompt refers to @Image" + image + " but image_urls holds " + imageCount
                        + (imageCount == 0 ? "; add image_urls or remove the reference" : "; use @Image1..@Image"
                        + imageCount));
            }
        }
        if (endpoint.mode() == GenerationMode.REFERENCE_TO_VIDEO && elementCount == 0 && imageCount == 0) {
            v.add("/input/elements", endpoint.id() + " needs at least one reference: elements or image_urls");
        }
    }

    private static void checkMotionControl(KlingEndpoint endpoint, JsonNode input, Violations v) {
        if (endpoint.mode() != GenerationMode.MOTION_CONTROL) {
            return;
        }
        JsonNode elements = present(input, "elements");
        if (elements == null || !elements.isArray() || elements.isEmpty()) {
            return;
        }
        JsonNode orientation = present(input, "character_orientation");
        if (elements.size() > InputCatalog.MAX_MOTION_ELEMENTS) {
            v.add("/input/elements", endpoint.id() + " binds at most " + InputCatalog.MAX_MOTION_ELEMENTS
                    + " element (a face for identity); got " + elements.size());
        } else if (orientation != null && orientation.isTextual() && !"video".equals(orientation.asText())) {
            v.add("/input/elements", "element binding needs character_orientation \"video\"; with \"image\" leave"
                    + " elements out");
        }
        // A video element is already refused per element (video elements are an O3 feature).
    }

    private static boolean hasVideoElement(JsonNode elements) {
        for (JsonNode element : elements) {
            if (present(element, "video_url") != null) {
                return true;
            }
        }
        return false;
    }

    /** The first reference number outside 1..count, or null when every reference is fine. */
    private static Integer outOfRange(Matcher m, int count) {
        while (m.find()) {
            int n = m.group(1).length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(m.group(1));
            if (n < 1 || n > count) {
                return n;
            }
        }
        return null;
    }

    /**
     * Every http(s) URL the user put into {@code input}, with its JSON Pointer: {@code *_url},
     * {@code *_urls} and the same inside elements. data: URIs are not fetched from anywhere.
     */
    public static List<UserUrl> userUrls(JsonNode input) {
        List<UserUrl> urls = new ArrayList<>();
        if (input != null && input.isObject()) {
            collect("/input", input, urls);
            JsonNode elements = input.get("elements");
            if (elements != null && elements.isArray()) {
                for (int i = 0; i < elements.size(); i++) {
                    if (elements.get(i).isObject()) {
                        collect("/input/elements/" + i, elements.get(i), urls);
                    }
                }
            }
        }
        return urls;
    }

    private static void collect(String base, JsonNode object, List<UserUrl> urls) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String at = base + "/" + GenerationRequestValidator.escape(field.getKey());
            if (field.getKey().endsWith("_url")) {
                addIfNetwork(at, field.getValue(), urls);
            } else if (field.getKey().endsWith("_urls") && field.getValue().isArray()) {
                for (int i = 0; i < field.getValue().size(); i++) {
                    addIfNetwork(at + "/" + i, field.getValue().get(i), urls);
                }
            }
        }
    }

    private static void addIfNetwork(String at, JsonNode value, List<UserUrl> urls) {
        if (isUrlSyntax(value) && !value.asText().startsWith("data:")) {
            urls.add(new UserUrl(at, value.asText()));
        }
    }

    private static void checkVoiceIds(JsonNode voices, Violations v) {
        if (!voices.isArray()) {
            v.add("/input/voice_ids", "voice_ids must be an array of voice id strings; got " + typeOf(voices));
            return;
        }
        if (voices.size() > MAX_VOICES) {
            v.add("/input/voice_ids", "voice_ids holds at most " + MAX_VOICES + " voices (<<<voice_1>>>, "
                    + "<<<voice_2>>>); got " + voices.size());
            return;
        }
        for (int i = 0; i < voices.size(); i++) {
            JsonNode id = voices.get(i);
            if (!id.isTextual() || id.asText().isBlank()) {
                v.add("/input/voice_ids/" + i, "each voice id must be a non-empty string; got " + echo(id));
            } else {
                checkLength("/input/voice_ids/" + i, "a voice id", id, MAX_NAME_CHARS, v);
            }
        }
    }

    /** A list of at most {@code max} URLs (null: bounded elsewhere), each checked. */
    private static void checkUrlList(String at, String name, JsonNode value, Integer max, Violations v) {
        if (!value.isArray()) {
            v.add(at, name + " must be an array of URLs; got " + typeOf(value));
            return;
        }
        if (max != null && value.size() > max) {
            v.add(at, name + " holds at most " + max + " URLs; got " + value.size());
            return;
        }
        for (int i = 0; i < value.size(); i++) {
            checkUrl(at + "/" + i, name + "[" + i + "]", value.get(i), v);
        }
    }

    /**
     * Syntax and length only; whether the URL may be fetched (https, public address) is
     * {@code UrlPolicy}'s call. A data: URI is bounded by the request body limit.
     */
    private static void checkUrl(String at, String name, JsonNode value, Violations v) {
        if (!isUrlSyntax(value)) {
            v.add(at, name + " must be an absolute https URL (or a data: URI); got " + echo(value));
        } else if (!value.asText().startsWith("data:") && value.asText().length() > MAX_URL_CHARS) {
            v.add(at, name + " is at most " + MAX_URL_CHARS + " characters; got " + value.asText().length());
        }
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

    static boolean isUrlSyntax(JsonNode value) {
        if (!value.isTextual()) {
            return false;
        }
        String text = value.asText();
        if (text.startsWith("data:")) {
            return text.indexOf(',') > 5;
        }
        try {
            URI uri = new URI(text);
            return uri.isAbsolute() && uri.getScheme() != null
                    && (uri.getScheme().equalsIgnoreCase("https") || uri.getScheme().equalsIgnoreCase("http"))
                    && uri.getHost() != null && !uri.getHost().isBlank();
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
