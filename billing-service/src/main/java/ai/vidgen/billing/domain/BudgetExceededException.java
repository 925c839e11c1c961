package ai.vidgen.billing.domain;

import ai.vidgen.platform.money.Money;

/** A reservation would take the tenant's committed spend for the period past its budget. */
public class BudgetExceededException extends RuntimeException {
    private final long limitMicros;
    private final long committedMicros;
    private final long requestedMicros;

    public BudgetExceededException(String tenantId, long limitMicros, long committedMicros, long requestedMicros) {
        // The amounts, then the currency once: "has committed 10.08 of its 11.20 USD budget".
        super("tenant " + tenantId + " has committed " + Money.format(committedMicros) + " of its "
                + Money.format(limitMicros) + " " + Money.CURRENCY + " budget this period; this generation needs "
                + Money.format(requestedMicros) + " " + Money.CURRENCY);
        this.limitMicros = limitMicros;
        this.committedMicros = committedMicros;
        this.requestedMicros = requestedMicros;
    }

    public long limitMicros() {
        return limitMicros;
    }

    public long committedMicros() {
        return committedMicros;
    }

    public long requestedMicros() {
        return requestedMicros;
    }
}
