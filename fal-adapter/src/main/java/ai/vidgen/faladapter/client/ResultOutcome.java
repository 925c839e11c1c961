package ai.vidgen.faladapter.client;

import ai.vidgen.faladapter.domain.FalError;

/** One answer of the result (response) endpoint of a COMPLETED request. */
public sealed interface ResultOutcome extends FalCallOutcome {

    /**
     * HTTP 200 with the model output. {@code url} is the video (or, for image endpoints, the
     * first image); null when the output carries no media.
     */
    record Output(String url, String contentType, Long fileSize, String fileName) implements ResultOutcome {

        @Override
        public String metricTag() {
            return "output";
        }
    }

    /** The request failed: the result endpoint replays fal's error status and body. */
    record Failed(FalError error) implements ResultOutcome {

        @Override
        public String metricTag() {
            return "http_" + error.httpStatus();
        }
    }

    /** Could not fetch the result now (network, 429, 5xx without a fal error, result not ready). Try later. */
    record Unavailable(int httpStatus, String reason) implements ResultOutcome {

        @Override
        public String metricTag() {
            return httpStatus == 0 ? "no_answer" : "http_" + httpStatus;
        }
    }
}
