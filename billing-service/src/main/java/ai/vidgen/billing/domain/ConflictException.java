package ai.vidgen.billing.domain;

/**
 * A change the ledger or the price book refuses because of what it already holds: a price book
 * version that exists or does not come after the latest, a correction id used for other content.
 * Asking again cannot help; {@link #reason()} is the stable code callers branch on.
 */
public class ConflictException extends RuntimeException {

    private final String reason;

    /** @param reason a stable machine code, e.g. {@code version_exists} */
    public ConflictException(String reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
