package ai.vidgen.request.domain;

import static ai.vidgen.request.domain.Violations.echo;
import static ai.vidgen.request.domain.Violations.typeOf;

import ai.vidgen.events.catalog.KlingEndpoint;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a native generation request ({@code POST /v1/generations}) before anything is spent and
 * reports every problem at once, each with a JSON Pointer into the body.
 *
 * <p>Pure Java on a {@link JsonNode} rather than bean validation on a bound DTO: the input object
 * is fal's, its rules depend on the endpoint, and a type mismatch (a number where fal wants the
 * string {@code "5"}) must become one violation among others, not a deserialization failure that
 * hides the rest.
 */
public final class GenerationRequestValidator {

    static final List<String> FIELD_NAMES = List.of("endpoint_id", "input", "priority", "deadline", "metadata",
            "callback_url", "draft");
    static final Set<String> FIELDS = Set.copyOf(FIELD_NAMES);
    static final int MAX_METADATA_ENTRIES = 16;
    static final int MAX_METADATA_KEY = 64;
    static final int MAX_METADATA_VALUE = 512;

    private final Clock clock;
    private final KlingInputRules inputRules = new KlingInputRules();

    public GenerationRequestValidator(Clock clock) {
        this.clock = clock;
    }

    public ValidationResult validate(JsonNode body) {
        Violations v = new Violations();
        if (body == null || !body.isObject()) {
            v.add("", "the request body must be a JSON object; got " + (body == null ? "nothing" : typeOf(body)));
            return new ValidationResult.Invalid(v.list());
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                // A typo ("endpoint", "deadline_at") would otherwise be silently dropped.
                v.add(Violations.pointer("", name), "unknown field \"" + Violations.name(name) + "\"; the fields are "
                        + String.join(", ", FIELD_NAMES));
            }
        }
        KlingEndpoint endpoint = endpoint(body.get("endpoint_id"), v);
        JsonNode input = body.get("input");
        if (input == null || input.isNull()) {
            v.add("/input", "input (fal's input object for the endpoint) is required");
        } else if (!input.isObject()) {
            v.add("/input", "input must be a JSON object; got " + typeOf(input));
        } else if (endpoint != null) {
            inputRules.check(endpoint, input, v);
        }
        Priority priority = priority(body.get("priority"), v);
        Instant deadline = deadline(body.get("deadline"), v);
        Map<String, String> metadata = metadata(body.get("metadata"), v);
        String callbackUrl = callbackUrl(body.get("callback_url"), v);
        boolean draft = draft(body.get("draft"), v);

        if (!v.isEmpty()) {
            return new ValidationResult.Invalid(v.list());
        }
        ObjectNode fields = (ObjectNode) input;
        return new ValidationResult.Valid(new ValidatedRequest(endpoint, fields.deepCopy(),
                BillableSeconds.upperBound(endpoint, fields), priority, deadline, metadata, callbackUrl, draft));
    }

    /**
     * Every URL in the body that something will fetch (fal the inputs, our webhook worker the
     * callback), for the URL policy. Collected from the raw body so that policy violations are
     * reported together with the others.
     */
    public static List<UserUrl> userUrls(JsonNode body) {
        if (body == null || !body.isObject()) {
            return List.of();
        }
        List<UserUrl> urls = new java.util.ArrayList<>(KlingInputRules.userUrls(body.get("input")));
        JsonNode callback = body.get("callback_url");
        if (callback != null && callback.isTextual() && KlingInputRules.isUrlSyntax(callback)
                && !callback.asText().startsWith("data:")) {
            urls.add(new UserUrl("/callback_url", callback.asText()));
        }
        return urls;
    }

    private static String callbackUrl(JsonNode value, Violations v) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || !KlingInputRules.isUrlSyntax(value) || value.asText().startsWith("data:")
                || value.asText().length() > 2048) {
            v.add("/callback_url", "callback_url must be an absolute https URL of at most 2048 characters; got "
                    + echo(value));
            return null;
        }
        return value.asText();
    }

    private static boolean draft(JsonNode value, Violations v) {
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            v.add("/draft", "draft must be true or false (true: run on the cheapest compatible model); got "
                    + echo(value));
            return false;
        }
        return value.booleanValue();
    }

    private static KlingEndpoint endpoint(JsonNode value, Violations v) {
        if (value == null || value.isNull()) {
            v.add("/endpoint_id", "endpoint_id is required, e.g. \"" + KlingEndpoint.V3_STANDARD_T2V.id() + "\"");
            return null;
        }
        if (!value.isTextual()) {
            v.add("/endpoint_id", "endpoint_id must be a string; got " + typeOf(value));
            return null;
        }
        return KlingEndpoint.byId(value.asText()).orElseGet(() -> {
            v.add("/endpoint_id", "endpoint_id " + echo(value) + " is not a Kling endpoint this platform runs,"
                    + " e.g. \"" + KlingEndpoint.V3_STANDARD_T2V.id() + "\"");
            return null;
        });
    }

    private static Priority priority(JsonNode value, Violations v) {
        if (value == null || value.isNull()) {
            return Priority.INTERACTIVE;
        }
        return (value.isTextual() ? Priority.fromWire(value.asText()) : Optional.<Priority>empty())
                .orElseGet(() -> {
                    v.add("/priority", "priority must be \"interactive\" or \"batch\"; got " + echo(value));
                    return null;
                });
    }

    private Instant deadline(JsonNode value, Violations v) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            v.add("/deadline", "deadline must be an ISO-8601 instant string such as \"2026-03-01T12:00:00Z\"; got "
                    + echo(value));
            return null;
        }
        Instant deadline;
        try {
            deadline = OffsetDateTime.parse(value.asText()).toInstant();
        } catch (DateTimeParseException e) {
            v.add("/deadline", "deadline must be an ISO-8601 instant with an offset, such as"
                    + " \"2026-03-01T12:00:00Z\"; got " + echo(value));
            return null;
        }
        if (!deadline.isAfter(clock.instant())) {
            // It would be aborted before it could start: refuse now rather than queue a sure abort.
            v.add("/deadline", "deadline " + value.asText() + " has already passed");
            return null;
        }
        return deadline;
    }

    private static Map<String, String> metadata(JsonNode value, Violations v) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return metadata;
        }
        if (!value.isObject()) {
            v.add("/metadata", "metadata must be an object of string values; got " + typeOf(value));
            return metadata;
        }
        if (value.size() > MAX_METADATA_ENTRIES) {
            // Counted only: the entries of an oversized map are not worth one answer each.
            v.add("/metadata", "metadata holds at most " + MAX_METADATA_ENTRIES + " entries; got " + value.size());
            return metadata;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String pointer = Violations.pointer("/metadata", entry.getKey());
            if (entry.getKey().isEmpty() || entry.getKey().length() > MAX_METADATA_KEY) {
                v.add(pointer, "metadata keys are 1 to " + MAX_METADATA_KEY + " characters");
            }
            if (!entry.getValue().isTextual()) {
                v.add(pointer, "metadata values must be strings; got " + typeOf(entry.getValue()));
            } else if (entry.getValue().asText().length() > MAX_METADATA_VALUE) {
                v.add(pointer, "metadata values are at most " + MAX_METADATA_VALUE + " characters");
            } else {
                metadata.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return metadata;
    }

    /** RFC 6901 escaping of one reference token. */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
