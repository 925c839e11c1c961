package ai.vidgen.falemulator.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A misbehaviour the emulator can inject, by name as configured ({@code content_policy_violation=0.1}). */
public enum Fault {
    /** The runner refuses the input: the result is 422 {@code content_policy_violation}, not retryable. */
    CONTENT_POLICY_VIOLATION("content_policy_violation", Where.RUNNER, 422),
    /** Infrastructure errors: the result is {@code {"detail","error_type"}} with {@code X-Fal-Error-Type}. */
    INTERNAL_ERROR("internal_error", Where.RUNNER, 500),
    DOWNSTREAM_SERVICE_ERROR("downstream_service_error", Where.RUNNER, 500),
    DOWNSTREAM_SERVICE_UNAVAILABLE("downstream_service_unavailable", Where.RUNNER, 500),
    GENERATION_TIMEOUT("generation_timeout", Where.RUNNER, 504),
    RUNNER_UNAVAILABLE("runner_unavailable", Where.RUNNER, 503),
    /** Submit answers 429 and creates no request. */
    SUBMIT_RATE_LIMITED("submit_rate_limited", Where.SUBMIT, 429),
    /** Submit creates the request, then drops the connection instead of answering. */
    SUBMIT_CONNECTION_RESET("submit_connection_reset", Where.SUBMIT, 0),
    /** Submit answers after {@code emulator.slow-answer-delay}. */
    SUBMIT_SLOW("submit_slow", Where.SUBMIT, 0),
    /** The webhook is never delivered. */
    WEBHOOK_DROPPED("webhook_dropped", Where.WEBHOOK, 0),
    /** The webhook is delivered twice. */
    WEBHOOK_DUPLICATED("webhook_duplicated", Where.WEBHOOK, 0),
    /** The webhook is delivered after {@code emulator.webhook.late-delay}. */
    WEBHOOK_LATE("webhook_late", Where.WEBHOOK, 0),
    /** The output URL serves only the first half of the clip, while {@code file_size} says the whole. */
    TRUNCATED_MEDIA("truncated_media", Where.RUNNER, 0),
    /** A status poll loses its connection before any answer (each poll rolls on its own). */
    STATUS_CONNECTION_RESET("status_connection_reset", Where.POLL, 0),
    /** A result fetch loses its connection before any answer (each fetch rolls on its own). */
    RESULT_CONNECTION_RESET("result_connection_reset", Where.POLL, 0),
    /**
     * A result fetch gets a 503 from the ingress in front of fal (plain text, no request id):
     * trouble fetching the result, not a failure of the request.
     */
    RESULT_UNAVAILABLE("result_unavailable", Where.POLL, 503),
    /**
     * A status, result, cancel or status-stream call is refused by fal's rate limiter with 429
     * before it reaches the queue (each call rolls on its own).
     */
    ROUTE_RATE_LIMITED("route_rate_limited", Where.POLL, 429),
    /**
     * A status, result, cancel or status-stream call gets a 500 from the ingress in front of fal
     * (nginx's HTML page, no request id); each call rolls on its own.
     */
    ROUTE_SERVER_ERROR("route_server_error", Where.POLL, 500),
    /**
     * A status, result, cancel or status-stream call is answered only after
     * {@code emulator.route-timeout-delay}, longer than a client waits (each call rolls on its own).
     */
    ROUTE_TIMEOUT("route_timeout", Where.POLL, 0),
    /** The output video is served as a trickle spread over {@code emulator.media-slow-duration}, complete. */
    MEDIA_SLOW("media_slow", Where.RUNNER, 0),
    /**
     * fal forgets the request as it completes (its retention passed, or fal restarted): from then
     * on status, result and cancel answer 404 as for an unknown id. Rolled once per request.
     */
    REQUEST_FORGOTTEN("request_forgotten", Where.RETENTION, 0),
    /** No queued request starts while this rule is in force (rate 1): every runner is busy. */
    QUEUE_STALLED("queue_stalled", Where.QUEUE, 0);

    public enum Where { SUBMIT, RUNNER, WEBHOOK, POLL, QUEUE, RETENTION }

    private final String id;
    private final Where where;
    private final int httpStatus;

    Fault(String id, Where where, int httpStatus) {
        this.id = id;
        this.where = where;
        this.httpStatus = httpStatus;
    }

    public String id() {
        return id;
    }

    public Where where() {
        return where;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** A failure the runner reports (the result call replays it); not for truncated media. */
    public boolean failsTheRequest() {
        return where == Where.RUNNER && httpStatus > 0;
    }

    public static Optional<Fault> byId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.id.equals(wanted)).findFirst();
    }
}
