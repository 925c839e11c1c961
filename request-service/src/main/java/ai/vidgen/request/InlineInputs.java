package ai.vidgen.request;

import ai.vidgen.platform.problem.Problem;
import ai.vidgen.platform.problem.ProblemException;
import ai.vidgen.request.client.StorageInputs;
import ai.vidgen.request.client.StorageLinks;
import ai.vidgen.request.domain.DataUri;
import ai.vidgen.request.domain.Violation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps files out of the platform's events. A request may carry its images or videos inline as
 * {@code data:} URIs; a few megabytes of base64 in {@code GenerationRequested} would exceed
 * Kafka's record limit. Before the event is written, each one is uploaded to storage-service and
 * replaced by a signed link to it, which fal fetches like any other URL.
 *
 * <p>Only the fields that hold URLs are looked at ({@code *_url}, {@code *_urls}, and the same
 * inside {@code elements}), the fields the validator accepts data: URIs in. The same fields carry
 * the links this service builds itself (remix's source video), which are signed here as well, at
 * the same moment: after the request's fingerprint was taken, so a retried request matches.
 */
@ApplicationScoped
public class InlineInputs {

    /** The data: URIs of a request, decoded, or what is wrong with them. */
    public record Found(Map<String, DataUri> files, List<Violation> violations) {
        public boolean none() {
            return files.isEmpty();
        }
    }

    /** The input to publish, or the inline files storage would not take. */
    public sealed interface Rewritten {
        record Input(ObjectNode input) implements Rewritten {
        }

        record Refused(List<Violation> violations) implements Rewritten {
        }
    }

    private final StorageInputs storage;
    private final StorageLinks links;

    public InlineInputs(StorageInputs storage, StorageLinks links) {
        this.storage = storage;
        this.links = links;
    }

    private static final Found NONE = new Found(Map.of(), List.of());

    /**
     * Decodes every data: URI of the request's {@code input}. Decoding megabytes of base64 is
     * work for a worker thread, not the event loop; a request without data: URIs stays where it is.
     */
    public static Uni<Found> decode(JsonNode input) {
        boolean[] any = {false};
        urlFields(input, (pointer, text) -> {
            any[0] |= DataUri.isDataUri(text);
            return null;
        });
        if (!any[0]) {
            return Uni.createFrom().item(NONE);
        }
        return Uni.createFrom().item(() -> find(input)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Decodes every data: URI of the request's {@code input}; pure, no I/O. */
    static Found find(JsonNode input) {
        Map<String, DataUri> files = new LinkedHashMap<>();
        List<Violation> violations = new ArrayList<>();
        urlFields(input, (pointer, text) -> {
            if (DataUri.isDataUri(text) && !files.containsKey(text)) {
                DataUri.parse(text).ifPresentOrElse(file -> files.put(text, file), () -> violations.add(new Violation(
                        pointer, "not a valid data: URI (data:<media type>;base64,<data>)")));
            }
            return null;
        });
        return new Found(files, violations);
    }

    /**
     * Uploads the request's inline files and returns a copy of {@code input} in which they, and
     * the unsigned links to this platform's own videos in {@code ownVideos} (address to generation
     * id), are signed links. Fails with a 503 problem when storage-service cannot take the files.
     */
    public Uni<Rewritten> externalize(String tenant, ObjectNode input, Found found, Map<String, String> ownVideos) {
        if (found.none() && ownVideos.isEmpty()) {
            return Uni.createFrom().item(new Rewritten.Input(input));
        }
        Map<String, String> replacements = new HashMap<>();
        ownVideos.forEach((url, generationId) -> replacements.put(url, links.videoForFal(tenant, generationId)));
        if (found.none()) {
            return Uni.createFrom().item(new Rewritten.Input(replaced(input, replacements)));
        }
        List<Uni<Uploaded>> uploads = new ArrayList<>();
        found.files().forEach((text, file) -> uploads.add(storage.upload(tenant, file)
                .map(id -> new Uploaded(text, links.inputForFal(tenant, id), 0))
                .onFailure(StorageInputs.InputRefusedException.class).recoverWithItem(refused ->
                        new Uploaded(text, null, ((StorageInputs.InputRefusedException) refused).status()))));
        return Uni.join().all(uploads).andFailFast()
                .onFailure().transform(InlineInputs::unavailable)
                .map(done -> {
                    Map<String, Integer> refused = new HashMap<>();
                    for (Uploaded u : done) {
                        if (u.refusedWith() != 0) {
                            refused.put(u.text(), u.refusedWith());
                        } else {
                            replacements.put(u.text(), u.url());
                        }
                    }
                    return refused.isEmpty() ? new Rewritten.Input(replaced(input, replacements))
                            : new Rewritten.Refused(refusals(input, refused));
                });
    }

    /** One inline file: its link once stored, or the status storage refused it with. */
    private record Uploaded(String text, String url, int refusedWith) {
    }

    private static ProblemException unavailable(Throwable cause) {
        return new ProblemException(Problem.of(Problem.type("storage-unavailable"), "Inline files cannot be stored",
                503, "the request carries files inline (data: URIs) and they cannot be stored right now; nothing was "
                        + "accepted: try again later, or pass https URLs").withReason("storage_unavailable"),
                Map.of("Retry-After", "5"));
    }

    private static List<Violation> refusals(ObjectNode input, Map<String, Integer> refused) {
        List<Violation> violations = new ArrayList<>();
        urlFields(input, (pointer, text) -> {
            Integer status = refused.get(text);
            if (status != null) {
                violations.add(new Violation(pointer, status == 413
                        ? "the inline file is larger than storage accepts (20 MiB unless configured otherwise); "
                                + "pass an https URL to it instead"
                        : "an inline file must be an image (not SVG), a video or audio; this one is "
                                + DataUri.parse(text).map(DataUri::mediaType).orElse("something else")));
            }
            return null;
        });
        return violations;
    }

    /** A copy of the input with the URL fields' values replaced where {@code replacements} names them. */
    private static ObjectNode replaced(ObjectNode input, Map<String, String> replacements) {
        ObjectNode copy = input.deepCopy();
        urlFields(copy, (pointer, text) -> replacements.get(text));
        return copy;
    }

    /** Called with each URL field's pointer and text; a non-null answer replaces the value. */
    private interface UrlField {
        String visit(String pointer, String text);
    }

    private static void urlFields(JsonNode input, UrlField visitor) {
        if (input == null || !input.isObject()) {
            return;
        }
        visitObject("/input", (ObjectNode) input, visitor);
        JsonNode elements = input.get("elements");
        if (elements != null && elements.isArray()) {
            for (int i = 0; i < elements.size(); i++) {
                if (elements.get(i).isObject()) {
                    visitObject("/input/elements/" + i, (ObjectNode) elements.get(i), visitor);
                }
            }
        }
    }

    private static void visitObject(String base, ObjectNode object, UrlField visitor) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String pointer = base + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
            JsonNode value = field.getValue();
            if (field.getKey().endsWith("_url") && value.isTextual()) {
                String replacement = visitor.visit(pointer, value.asText());
                if (replacement != null) {
                    field.setValue(TextNode.valueOf(replacement));
                }
            } else if (field.getKey().endsWith("_urls") && value.isArray()) {
                ArrayNode array = (ArrayNode) value;
                for (int i = 0; i < array.size(); i++) {
                    if (array.get(i).isTextual()) {
                        String replacement = visitor.visit(pointer + "/" + i, array.get(i).asText());
                        if (replacement != null) {
                            array.set(i, TextNode.valueOf(replacement));
                        }
                    }
                }
            }
        }
    }
}
