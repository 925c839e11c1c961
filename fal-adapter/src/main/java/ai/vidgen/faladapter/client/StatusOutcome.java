package ai.vidgen.faladapter.client;

import java.util.List;

/** One answer of the status endpoint. */
public sealed interface StatusOutcome extends FalCallOutcome {

    /** HTTP 202 IN_QUEUE; {@code queuePosition} counts the requests ahead (null when absent). */
    record Queued(Integer queuePosition, List<String> logs) implements StatusOutcome {

        @Override
        public String metricTag() {
            return "in_queue";
        }
    }

    /** HTTP 202 IN_PROGRESS. */
    record Running(List<String> logs) implements StatusOutcome {

        @Override
        public String metricTag() {
            return "in_progress";
        }
    }

    /**
     * HTTP 200 COMPLETED. {@code errorType}/{@code error} are set when the request failed.
     *
     * @param inferenceMillis {@code metrics.inference_time} in milliseconds, null when absent
     */
    record Completed(Long inferenceMillis, String errorType, String error, List<String> logs)
            implements StatusOutcome {

        @Override
        public String metricTag() {
            return "completed";
        }

        public boolean failed() {
            return errorType != null || error != null;
        }
    }

    /**
     * No usable status: a network error, a timeout, 429/5xx, or 404 ({@code notFound}).
     *
     * @param httpStatus 0 when there was no HTTP answer
     */
    record Unavailable(int httpStatus, String reason) implements StatusOutcome {

        @Override
        public String metricTag() {
            return httpStatus == 0 ? "no_answer" : "http_" + httpStatus;
        }

        public boolean notFound() {
            return httpStatus == 404;
        }
    }
}
