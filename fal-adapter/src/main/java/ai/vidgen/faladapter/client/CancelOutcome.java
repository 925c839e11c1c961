package ai.vidgen.faladapter.client;

/** fal's answer to {@code PUT .../requests/{id}/cancel}. */
public sealed interface CancelOutcome extends FalCallOutcome {

    /** 202 {@code CANCELLATION_REQUESTED}: the status turns COMPLETED with {@code client_cancelled}. */
    record Requested() implements CancelOutcome {

        @Override
        public String metricTag() {
            return "requested";
        }
    }

    /** 400 {@code ALREADY_COMPLETED}: too late, the request's own outcome stands. */
    record AlreadyCompleted() implements CancelOutcome {

        @Override
        public String metricTag() {
            return "already_completed";
        }
    }

    /** No usable answer (network, 404, 5xx): ask again later. */
    record Unavailable(int httpStatus, String reason) implements CancelOutcome {

        @Override
        public String metricTag() {
            return httpStatus == 0 ? "no_answer" : "http_" + httpStatus;
        }
    }
}
