package ai.vidgen.request.domain;

import ai.vidgen.events.catalog.KlingEndpoint;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates an OpenAI-style {@code POST /v1/videos} body (JSON, or multipart form fields, where
 * every value is a string) into native generation requests ({@code {endpoint_id, input,
 * metadata}}). Per parameter (the README's table says the same):
 * <ul>
 * <li>{@code model} converted: {@code kling-v3} / {@code kling-o3} (+ {@code mode}) pick the endpoint;</li>
 * <li>{@code mode} converted: {@code standard} (default) or {@code pro}, the endpoint's tier;</li>
 * <li>{@code prompt} passes through;</li>
 * <li>{@code seconds} / {@code duration} renamed and converted to Kling's string duration; it must
 * be exactly one of the model's durations ({@code 8} or {@code "8"}, never {@code 8.9});</li>
 * <li>{@code size} (WxH), {@code aspect_ratio} (W:H) converted to the nearest of 16:9, 9:16, 1:1;
 * {@code resolution} accepted and emulated (Kling renders 720p/1080p by tier);</li>
 * <li>{@code input_reference} renamed: V3 {@code start_image_url}, O3 {@code image_url}, and it
 * turns text-to-video into image-to-video; an uploaded file becomes a data URI;</li>
 * <li>{@code n} emulated: 1..4 parallel generations;</li>
 * <li>Kling fields pass through: multi_prompt, elements, generate_audio, negative_prompt,
 * cfg_scale, end_image_url, shot_type, voice_ids, seed.</li>
 * </ul>
 */
public final class OpenAiVideoRequest {

    public static final List<String> MODELS = List.of("kling-v3", "kling-o3");
    static final Set<String> PASS_THROUGH = Set.of("multi_prompt", "elements", "generate_audio", "negative_prompt",
            "cfg_scale", "end_image_url", "shot_type", "voice_ids", "seed");
    static final Set<String> FIELDS = Set.of("model", "mode", "prompt", "seconds", "duration", "size", "aspect_ratio",
            "resolution", "input_reference", "n");
    private static final Set<String> JSON_FIELDS = Set.of("multi_prompt", "elements", "voice_ids");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The translation: {@code n} native bodies, or the violations (pointers into the OpenAI body). */
    public record Translation(List<ObjectNode> bodies, List<Violation> violations, String model, String size) {
    }

    private OpenAiVideoRequest() {
    }

    public static Translation translate(Map<String, JsonNode> fields) {
        Violations v = new Violations();
        for (String name : fields.keySet()) {
            if (!FIELDS.contains(name) && !PASS_THROUGH.contains(name)) {
                v.add("/" + name, "unknown field \"" + name + "\"");
            }
        }
        String model = text(fields.get("model"));
        if (model == null) {
            model = "kling-v3";
        }
        if (!MODELS.contains(model)) {
            v.add("/model", "model must be one of " + String.join(", ", MODELS) + "; got \"" + model + "\"");
        }
        String mode = text(fields.get("mode"));
        if (mode == null) {
            mode = "standard";
        }
        if (!mode.equals("standard") && !mode.equals("pro")) {
            v.add("/mode", "mode must be standard or pro; got \"" + mode + "\"");
        }
        String reference = text(fields.get("input_reference"));
        boolean o3 = "kling-o3".equals(model);
        String endpointId = "fal-ai/kling-video/" + (o3 ? "o3" : "v3") + "/" + mode + "/"
                + (reference != null ? "image-to-video" : "text-to-video");
        ObjectNode input = JsonNodeFactory.instance.objectNode();
        if (fields.containsKey("prompt")) {
            input.set("prompt", fields.get("prompt"));
        }
        String secondsField = fields.containsKey("seconds") ? "seconds" : "duration";
        JsonNode seconds = fields.get(secondsField);
        if (seconds != null && !seconds.isNull()) {
            List<String> allowed = durations(endpointId);
            String whole = wholeSeconds(seconds);
            if (whole == null || !allowed.contains(whole)) {
                // Exactly one of the durations the model renders: 8.9 is not rounded to 8.
                v.add("/" + secondsField, secondsField + " must be one of " + String.join(", ", allowed)
                        + " (whole seconds, as a string or a number) for " + model + "; got " + Violations.echo(seconds));
            } else {
                input.put("duration", whole);
            }
        }
        String ratio = null;
        String size = text(fields.get("size"));
        if (size != null) {
            ratio = nearest(size, "x", "/size", v);
        } else if (text(fields.get("aspect_ratio")) != null) {
            ratio = nearest(text(fields.get("aspect_ratio")), ":", "/aspect_ratio", v);
        }
        if (ratio != null) {
            input.put("aspect_ratio", ratio);
        }
        if (reference != null) {
            input.put(o3 ? "image_url" : "start_image_url", reference);
        }
        for (String name : PASS_THROUGH) {
            JsonNode value = fields.get(name);
            if (value != null) {
                input.set(name, coerce(name, value, v));
            }
        }
        int n = 1;
        JsonNode count = fields.get("n");
        if (count != null && !count.isNull()) {
            try {
                n = count.isNumber() ? count.asInt() : Integer.parseInt(count.asText().trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > 4) {
                v.add("/n", "n must be a whole number from 1 to 4; got " + count);
            }
        }
        if (!v.isEmpty()) {
            return new Translation(List.of(), v.list(), model, null);
        }
        String outSize = sizeOf(ratio == null ? "16:9" : ratio, mode);
        List<ObjectNode> bodies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("endpoint_id", endpointId);
            body.set("input", input.deepCopy());
            ObjectNode metadata = body.putObject("metadata");
            metadata.put("openai.model", model);
            metadata.put("openai.size", outSize);
            if (n > 1) {
                metadata.put("openai.n", i + 1 + "/" + n);
            }
            bodies.add(body);
        }
        return new Translation(bodies, List.of(), model, outSize);
    }

    /**
     * The durations the endpoint offers (the catalog's), or Kling 3's range when the model or mode
     * is itself wrong and the endpoint unknown.
     */
    private static List<String> durations(String endpointId) {
        return KlingEndpoint.byId(endpointId)
                .map(e -> InputCatalog.params(e).get("duration"))
                .map(InputCatalog.Param::values)
                .orElseGet(() -> InputCatalog.params(KlingEndpoint.V3_STANDARD_T2V).get("duration").values());
    }

    /**
     * {@code "8"} and {@code 8} (what the SDK and a JSON client send) as {@code "8"}; anything
     * else, {@code 8.9}, {@code 8.0} and {@code "8s"} included, as null.
     */
    static String wholeSeconds(JsonNode value) {
        if (value.isIntegralNumber()) {
            return value.canConvertToInt() ? String.valueOf(value.intValue()) : null;
        }
        if (value.isTextual()) {
            String text = value.asText().trim();
            if (!text.isEmpty() && text.length() <= 3 && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return String.valueOf(Integer.parseInt(text));
            }
        }
        return null;
    }

    /** The OpenAI-style {@code size} a Kling render of this ratio has (720p standard, 1080p pro). */
    public static String sizeOf(String ratio, String mode) {
        int p = "pro".equals(mode) ? 1080 : 720;
        int l = p * 16 / 9;
        return switch (ratio) {
            case "9:16" -> p + "x" + l;
            case "1:1" -> p + "x" + p;
            default -> l + "x" + p;
        };
    }

    /** Any W:H (or WxH) mapped to the nearest supported aspect ratio, by log-ratio distance. */
    static String nearest(String value, String separator, String pointer, Violations v) {
        String[] parts = value.trim().toLowerCase().split(java.util.regex.Pattern.quote(separator));
        try {
            double w = Double.parseDouble(parts[0]);
            double h = Double.parseDouble(parts[1]);
            if (parts.length != 2 || w <= 0 || h <= 0) {
                throw new NumberFormatException();
            }
            double r = Math.log(w / h);
            String best = "16:9";
            double bestDistance = Double.MAX_VALUE;
            for (String candidate : List.of("16:9", "9:16", "1:1")) {
                String[] c = candidate.split(":");
                double d = Math.abs(r - Math.log(Double.parseDouble(c[0]) / Double.parseDouble(c[1])));
                if (d < bestDistance) {
                    bestDistance = d;
                    best = candidate;
                }
            }
            return best;
        } catch (RuntimeException e) {
            v.add(pointer, pointer.substring(1) + " must look like " + ("x".equals(separator) ? "1280x720" : "16:9")
                    + "; got \"" + value + "\"");
            return null;
        }
    }

    /** Multipart values are strings: turn them into the JSON types the Kling fields have. */
    private static JsonNode coerce(String name, JsonNode value, Violations v) {
        if (!value.isTextual()) {
            return value;
        }
        String s = value.asText().trim();
        try {
            if (JSON_FIELDS.contains(name)) {
                return JSON.readTree(s);
            }
            if (name.equals("generate_audio") && (s.equals("true") || s.equals("false"))) {
                return JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(s));
            }
            if ((name.equals("cfg_scale") || name.equals("seed")) && s.matches("-?\\d+(\\.\\d+)?")) {
                return JSON.readTree(s);
            }
        } catch (JsonProcessingException e) {
            v.add("/" + name, name + " must be JSON (in a form field, send it as a JSON string)");
        }
        return value;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.asText().isBlank() ? null : node.asText().trim();
    }

    /** The native endpoint a remix of a generation on {@code source} uses: O3 video-to-video edit, same tier. */
    public static String remixEndpoint(String sourceEndpointId) {
        return KlingEndpoint.byId(sourceEndpointId).filter(e -> e.tier().name().equals("STANDARD"))
                .map(e -> KlingEndpoint.O3_STANDARD_V2V_EDIT.id()).orElse(KlingEndpoint.O3_PRO_V2V_EDIT.id());
    }
}
