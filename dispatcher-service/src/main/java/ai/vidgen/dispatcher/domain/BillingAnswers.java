package ai.vidgen.dispatcher.domain;

import java.util.regex.Pattern;

/** How an HTTP refusal from billing's reservation endpoint is read. */
public final class BillingAnswers {

    public static final String BUDGET_EXCEEDED = "budget_exceeded";
    public static final String NO_PRICE = "no_price";
    /** 409: the generation ended before billing reserved anything for it. */
    public static final String GENERATION_ENDED = "generation_ended";

    private static final Pattern REASON = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private BillingAnswers() {
    }

    /**
     * Classifies a non-2xx answer. 402 and 422 are billing's refusals (with the problem's
     * {@code reason}, or the reason that status stands for); any other 4xx that names a reason is
     * a refusal too, except 409 {@code generation_ended}: the generation is over. Everything else
     * (5xx, 408, 429, a 4xx without a reason) may pass: retry.
     *
     * @param reason the problem+json {@code reason} field, or null
     * @param detail the problem+json {@code detail} (or {@code title}), or null
     */
    public static ReservationOutcome classify(int status, String reason, String detail) {
        String cleanReason = reason != null && REASON.matcher(reason).matches() ? reason : null;
        if (status == 402) {
            return new ReservationOutcome.Refused(cleanReason != null ? cleanReason : BUDGET_EXCEEDED,
                    detailOr(detail, "the tenant's budget cannot cover the estimate"));
        }
        if (status == 422) {
            return new ReservationOutcome.Refused(cleanReason != null ? cleanReason : NO_PRICE,
                    detailOr(detail, "the endpoint has no price"));
        }
        if (status == 409 && GENERATION_ENDED.equals(cleanReason)) {
            return new ReservationOutcome.Ended(detailOr(detail, "the generation already ended"));
        }
        boolean clientError = status >= 400 && status < 500 && status != 408 && status != 425 && status != 429;
        if (clientError && cleanReason != null) {
            return new ReservationOutcome.Refused(cleanReason, detailOr(detail, "refused by billing"));
        }
        return new ReservationOutcome.Unavailable("billing answered HTTP " + status
                + (detail == null ? "" : ": " + detail));
    }

    private static String detailOr(String detail, String fallback) {
        return detail == null || detail.isBlank() ? fallback : detail;
    }
}
