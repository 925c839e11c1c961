package ai.vidgen.request.client;

/**
 * Billing answered that it will not price this generation (422), e.g. {@code no_price}: a
 * definitive answer, unlike billing being unreachable.
 */
public class EstimateRefusedException extends RuntimeException {

    private final String reason;

    public EstimateRefusedException(String reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
