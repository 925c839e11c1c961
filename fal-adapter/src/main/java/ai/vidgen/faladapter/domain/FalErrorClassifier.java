package ai.vidgen.faladapter.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns fal's error answers into {@link FalError}s (protocol notes, sections 4, 7 and 10).
 *
 * <p>Two body families exist: model/validation errors {@code {"detail":[{loc,msg,type,...}]}} and
 * infrastructure errors {@code {"detail":"...","error_type":"..."}} (with {@code X-Fal-Error-Type}).
 * Retryability: {@code content_policy_violation} and every 422 never are; otherwise an explicit
 * {@code X-Fal-Retryable} header wins; otherwise known transient types, 408/409/425/429 and 5xx are,
 * other 4xx are not.
 */
public final class FalErrorClassifier {

    /** Types that mean "this input will fail again". */
    private static final Set<String> PERMANENT_TYPES = Set.of(
            "content_policy_violation", "file_download_error", "image_too_small", "image_too_large",
            "image_load_error", "unsupported_image_format", "unsupported_video_format",
            "unsupported_audio_format", "video_duration_too_long", "video_duration_too_short",
            "feature_not_supported", "bad_request", "value_error", "value_error.missing", "missing",
            "one_of", "greater_than", "greater_than_equal", "less_than", "less_than_equal",
            "sequence_too_long", "sequence_too_short", "client_cancelled", "client_disconnected");

    /** Types fal documents as infrastructure trouble: another attempt may well succeed. */
    private static final Set<String> TRANSIENT_TYPES = Set.of(
            "request_timeout", "startup_timeout", "generation_timeout", "runner_scheduling_failure",
            "runner_connection_timeout", "runner_disconnected", "runner_connection_refused",
            "runner_connection_error", "runner_incomplete_response", "runner_server_error", "internal_error",
            "downstream_service_error", "downstream_service_unavailable", "concurrent_requests_limit");

    private static final int MAX_MESSAGE = 2000;

    private FalErrorClassifier() {
    }

    /**
     * Classifies an HTTP error answer of fal (a rejected submit, or a failed request's result).
     *
     * @param body            the parsed body, or null when it was not JSON
     * @param rawBody         the body text, used for the message when it is not JSON (may be null)
     * @param errorTypeHeader {@code X-Fal-Error-Type}, or null
     * @param retryableHeader {@code X-Fal-Retryable}, or null
     */
    public static FalError fromHttp(int status, JsonNode body, String rawBody, String errorTypeHeader,
            String retryableHeader) {
        String type = errorType(body, errorTypeHeader);
        if (type == null) {
            type = "http_" + status;
        }
        String message = message(body);
        if (message == null) {
            message = rawBody == null || rawBody.isBlank() ? "fal answered HTTP " + status
                    : "fal answered HTTP " + status + ": " + rawBody.strip();
        }
        return new FalError(type, truncate(message), retryable(status, type, retryableHeader), status);
    }

    /** The error type of a request no runner started within our {@code X-Fal-Request-Timeout}. */
    public static final String DEADLINE_EXCEEDED = "deadline_exceeded";

    /**
     * A 504 with {@code X-Fal-Request-Timeout-Type: user}: fal gave up because the start timeout we
     * set expired, and stopped retrying on purpose. Another attempt would only wait past the same
     * deadline again, so this is final, unlike fal's own timeouts.
     */
    public static boolean isUserStartTimeout(int status, String timeoutTypeHeader) {
        return status == 504 && timeoutTypeHeader != null && "user".equalsIgnoreCase(timeoutTypeHeader.strip());
    }

    public static FalError startTimeout(int status) {
        return new FalError(DEADLINE_EXCEEDED, "no fal runner started the request within its start timeout "
                + "(X-Fal-Request-Timeout)", false, status);
    }

    /** Classifies the {@code error}/{@code error_type} of a COMPLETED status without a result body. */
    public static FalError fromStatus(String errorType, String error) {
        String type = errorType == null || errorType.isBlank() ? "unknown_error" : errorType;
        String message = error == null || error.isBlank() ? "fal reported " + type : error;
        boolean retryable = !PERMANENT_TYPES.contains(type) && TRANSIENT_TYPES.contains(type);
        return new FalError(type, truncate(message), retryable, 0);
    }

    static boolean retryable(int status, String type, String retryableHeader) {
        if ("content_policy_violation".equals(type) || status == 422) {
            return false;
        }
        if (retryableHeader != null && !retryableHeader.isBlank()) {
            return Boolean.parseBoolean(retryableHeader.strip());
        }
        if (PERMANENT_TYPES.contains(type)) {
            return false;
        }
        if (TRANSIENT_TYPES.contains(type)) {
            return true;
        }
        return status == 408 || status == 409 || status == 425 || status == 429 || status >= 500;
    }

    private static String errorType(JsonNode body, String header) {
        if (body != null) {
            String type = text(body.get("error_type"));
            if (type != null) {
                return type;
            }
        }
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        if (body != null) {
            JsonNode detail = body.get("detail");
            if (detail != null && detail.isArray()) {
                // The most telling entry: a policy violation outranks the validation noise beside it.
                String first = null;
                for (JsonNode entry : detail) {
                    String type = text(entry.get("type"));
                    if ("content_policy_violation".equals(type)) {
                        return type;
                    }
                    if (first == null) {
                        first = type;
                    }
                }
                return first;
            }
        }
        return null;
    }

    private static String message(JsonNode body) {
        if (body == null) {
            return null;
        }
        JsonNode detail = body.get("detail");
        if (detail != null && detail.isTextual()) {
            return detail.textValue();
        }
        if (detail != null && detail.isArray() && !detail.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode entry : detail) {
                String msg = text(entry.get("msg"));
                JsonNode loc = entry.get("loc");
                String where = null;
                if (loc != null && loc.isArray()) {
                    List<String> path = new ArrayList<>();
                    loc.forEach(p -> path.add(p.asText()));
                    where = String.join(".", path);
                }
                parts.add((where == null ? "" : where + ": ") + (msg == null ? text(entry.get("type")) : msg));
            }
            return String.join("; ", parts);
        }
        for (String field : List.of("error", "message")) {
            String text = text(body.get(field));
            if (text != null) {
                return text;
            }
        }
        return null;
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() && !node.textValue().isBlank() ? node.textValue() : null;
    }

    private static String truncate(String message) {
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "…";
    }
}
