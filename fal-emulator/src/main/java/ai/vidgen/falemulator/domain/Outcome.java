package ai.vidgen.falemulator.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a COMPLETED request ended; the result call serves exactly this. */
public sealed interface Outcome {

    String CANCELLED_MESSAGE = "Request cancelled by the client.";

    /** The generated video, as fal's File object describes it. */
    record Succeeded(String url, String contentType, String fileName, long fileSize) implements Outcome {
    }

    /**
     * A failure replayed by the result call: its HTTP status, body and headers; {@code error} and
     * {@code errorType} are what the status call reports next to COMPLETED.
     */
    record Failed(int httpStatus, Map<String, Object> body, Map<String, String> headers,
                  String error, String errorType) implements Outcome {

        public Failed {
            body = Collections.unmodifiableMap(new LinkedHashMap<>(body));
            headers = Map.copyOf(headers);
        }

        public boolean cancelled() {
            return "client_cancelled".equals(errorType);
        }
    }

    /** fal's runner rejecting the input: 422 with the Pydantic error list, not retryable. */
    static Failed invalidInput(List<FieldError> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", errors);
        FieldError first = errors.get(0);
        return new Failed(422, body, Map.of("X-Fal-Retryable", "false"), first.msg(), first.type());
    }

    /** An infrastructure failure in fal's request-error family ({@code detail} + {@code error_type}). */
    static Failed requestError(int httpStatus, String errorType, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", detail);
        body.put("error_type", errorType);
        return new Failed(httpStatus, body, Map.of("X-Fal-Error-Type", errorType), detail, errorType);
    }

    static Failed cancelled() {
        return requestError(499, "client_cancelled", CANCELLED_MESSAGE);
    }

    static Failed internalError(String detail) {
        return requestError(500, "internal_error", detail);
    }

    /** fal's content checker (or Kling's) refusing the input: 422, not retryable. */
    static Failed contentPolicyViolation() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("loc", List.of("body", "prompt"));
        error.put("msg", "The content could not be processed because it contained material flagged by a content checker.");
        error.put("type", "content_policy_violation");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", List.of(error));
        return new Failed(422, body, Map.of("X-Fal-Retryable", "false"), (String) error.get("msg"),
                "content_policy_violation");
    }

    /** {@code X-Fal-Request-Timeout} expired before a runner started the request. */
    static Failed startTimeout() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", "Request timed out before it could start");
        body.put("error_type", "request_timeout");
        return new Failed(504, body, Map.of("X-Fal-Error-Type", "request_timeout", "X-Fal-Request-Timeout-Type", "user"),
                "Request timed out before it could start", "request_timeout");
    }
}
