package ai.vidgen.falemulator.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One media reference in a model input, which fal's runner downloads before it runs the model:
 * an image, video or audio URL (or {@code data:} URI) and where it sits in the input.
 *
 * @param loc the Pydantic location of the field, e.g. {@code ["body","elements",0,"frontal_image_url"]}
 * @param url the value as submitted
 */
public record InputMedia(List<Object> loc, String url) {

    public InputMedia {
        loc = List.copyOf(loc);
    }

    /** The field as a readable path, e.g. {@code elements[0].reference_image_urls[1]}. */
    public String field() {
        StringBuilder path = new StringBuilder();
        for (Object part : loc.subList(1, loc.size())) {
            if (part instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(part);
            }
        }
        return path.toString();
    }

    public boolean isDataUri() {
        return url.regionMatches(true, 0, "data:", 0, 5);
    }

    /**
     * Every media reference of an input, in input order: fields named {@code *_url} (a string) or
     * {@code *_urls} (a list of strings), at the top level and inside {@code elements}. fal's file
     * inputs follow this naming on every Kling endpoint (image_url, start_image_url, end_image_url,
     * video_url, image_urls, frontal_image_url, reference_image_urls, audio_url).
     */
    public static List<InputMedia> of(JsonNode input) {
        List<InputMedia> media = new ArrayList<>();
        if (input == null || !input.isObject()) {
            return media;
        }
        collect(List.of("body"), input, media);
        JsonNode elements = input.get("elements");
        if (elements != null && elements.isArray()) {
            for (int i = 0; i < elements.size(); i++) {
                if (elements.get(i).isObject()) {
                    collect(List.of("body", "elements", i), elements.get(i), media);
                }
            }
        }
        return media;
    }

    private static void collect(List<Object> base, JsonNode object, List<InputMedia> media) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.endsWith("_url")) {
                add(append(base, name), value, media);
            } else if (name.endsWith("_urls") && value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    add(append(append(base, name), i), value.get(i), media);
                }
            }
        }
    }

    private static void add(List<Object> loc, JsonNode value, List<InputMedia> media) {
        if (value != null && value.isTextual() && !value.asText().isBlank()) {
            media.add(new InputMedia(loc, value.asText().strip()));
        }
    }

    private static List<Object> append(List<Object> base, Object part) {
        List<Object> loc = new ArrayList<>(base);
        loc.add(part);
        return loc;
    }
}
