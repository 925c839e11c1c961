package ai.vidgen.faladapter.client;

import ai.vidgen.faladapter.domain.FalError;

/** What became of one submit POST. Only {@link NoAnswer} leaves us unsure whether fal has the request. */
public sealed interface SubmitOutcome extends FalCallOutcome {

    /** fal accepted the request: HTTP 2xx with a {@code request_id}. */
    record Accepted(String requestId, String statusUrl, String responseUrl, String cancelUrl,
            Integer queuePosition) implements SubmitOutcome {

        @Override
        public String metricTag() {
            return "accepted";
        }
    }

    /** fal answered with an HTTP error: no request was created. */
    record Rejected(FalError error) implements SubmitOutcome {

        @Override
        public String metricTag() {
            return "http_" + error.httpStatus();
        }
    }

    /** No connection could be made (refused, unknown host, connect timeout, TLS handshake): fal never saw it. */
    record NotSent(String reason) implements SubmitOutcome {

        @Override
        public String metricTag() {
            return "not_sent";
        }
    }

    /**
     * The request may have reached fal but no usable answer came back (read timeout, connection
     * closed, a 2xx without a request id). Resubmitting could pay twice.
     */
    record NoAnswer(String reason) implements SubmitOutcome {

        @Override
        public String metricTag() {
            return "no_answer";
        }
    }
}
