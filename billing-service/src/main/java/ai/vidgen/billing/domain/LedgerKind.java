package ai.vidgen.billing.domain;

public enum LedgerKind {
    /** The estimate held against the budget at admission. */
    RESERVE,
    /** The charge, at the terminal state of a completed generation. */
    SETTLE,
    /** The reservation given back: failed, cancelled, rejected, or aborted before start. */
    RELEASE,
    /** An admin's signed adjustment; never an update in place. */
    CORRECTION
}
