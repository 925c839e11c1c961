package ai.vidgen.billing.domain;

public enum LedgerKind {
    /** The estimate held against the budget at admission. */
    RESERVE,
    /** The charge, once the video was delivered (archived); never above the reservation. */
    SETTLE,
    /** The reservation given back: failed, cancelled, rejected, abandoned, or the archive failed. */
    RELEASE,
    /** An admin's signed adjustment; never an update in place. */
    CORRECTION,
    /**
     * What fal charged us for output the tenant does not pay for ({@link LossCause}): never part of
     * the tenant's charges, usage or budget, kept to reconcile the ledger with fal's invoice.
     */
    FAL_LOSS;

    /** SETTLE and RELEASE exclude each other: a generation has at most one money outcome. */
    public boolean isOutcome() {
        return this == SETTLE || this == RELEASE;
    }
}
