package ai.vidgen.falemulator.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a COMPLETED request ended; the result call serves exactly this. */
public sealed interface Outcome {

    String CANCELLED_MESSAGE = "Request cancelled by the client.";

    /**
     * A generated file as fal's File (video) or Image object describes it; width and height only
     * for images.
     */
    record OutputFile(String url, String contentType, String fileName, long fileSize, Integer width, Integer height) {

        Map<String, Object> asJson() {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("url", url);
            file.put("content_type", contentType);
            file.put("file_name", fileName);
            file.put("file_size", fileSize);
            if (width != null) {
                file.put("width", width);
                file.put("height", height);
            }
            return file;
        }
    }

    /**
     * The output: a video ({@code {"video":{…}}}) or stills ({@code {"images":[…]}}).
     *
     * @param seconds the length of the video produced, which is what fal bills; null for stills
     */
    record Succeeded(List<OutputFile> files, boolean images, Integer seconds) implements Outcome {

        public Succeeded {
            files = List.copyOf(files);
        }

        public static Succeeded video(OutputFile video, int seconds) {
            return new Succeeded(List.of(video), false, seconds);
        }

        public static Succeeded images(List<OutputFile> images) {
            return new Succeeded(images, true, null);
        }

        /** The result body, as the result call and the webhook payload carry it. */
        public Map<String, Object> payload() {
            Map<String, Object> body = new LinkedHashMap<>();
            if (images) {
                body.put("images", files.stream().map(OutputFile::asJson).toList());
            } else {
                body.put("video", files.get(0).asJson());
            }
            return body;
        }
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

    /**
     * The runner could not download an input: fal's toolkit raises {@code FileDownloadException},
     * a 422 whose detail entry has {@code type: file_download_error}, the field's {@code loc}, the
     * URL as {@code input}, and {@code X-Fal-Retryable: false} (fal-ai/fal,
     * projects/fal/src/fal/toolkit/exceptions.py, stored version 152fe9ca; fal's error docs list
     * file_download_error as 422, not retryable). fal echoes the URL as given; the emulator echoes
     * it with credentials redacted, as a signed URL's signature is a secret. fal's msg is its own
     * sentence; clients must not parse msg (fal's error docs), so this one is the emulator's.
     */
    static Failed fileDownloadError(List<Object> loc, String displayUrl) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("loc", loc);
        error.put("msg", "The file at this URL could not be downloaded; check that it is reachable and try again.");
        error.put("type", "file_download_error");
        error.put("input", displayUrl);
        return runnerRejection(error);
    }

    /**
     * The runner refusing a downloaded input (an input video it cannot read, or one too long),
     * in the same 422 shape as any model validation error.
     */
    static Failed inputRejected(FieldError rejected) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("loc", rejected.loc());
        error.put("msg", rejected.msg());
        error.put("type", rejected.type());
        if (rejected.ctx() != null) {
            error.put("ctx", rejected.ctx());
        }
        return runnerRejection(error);
    }

    private static Failed runnerRejection(Map<String, Object> error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", List.of(error));
        return new Failed(422, body, Map.of("X-Fal-Retryable", "false"), (String) error.get("msg"),
                (String) error.get("type"));
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
        return runnerRejection(error);
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
