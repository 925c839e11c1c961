package ai.vidgen.platform.messaging;

import io.vertx.pgclient.PgException;

/** Splits handler failures by whether waiting can fix them. */
public final class Failures {

    private Failures() {
    }

    /**
     * Connection loss, shutdown, serialization conflicts, timeouts and resource exhaustion are
     * transient: the event is retried for as long as it takes. Errors in the data (SQLSTATE
     * classes 22 and 23), in the statement (42), a {@link RejectedEventException} and programming
     * errors are not: retrying would stall the partition for ever.
     */
    public static boolean isTransient(Throwable failure) {
        if (failure instanceof RejectedEventException) {
            return false;
        }
        if (failure instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().length() >= 2) {
            String sqlClass = pg.getSqlState().substring(0, 2);
            return !(sqlClass.equals("22") || sqlClass.equals("23") || sqlClass.equals("42"));
        }
        return !(failure instanceof IllegalArgumentException || failure instanceof NullPointerException
                || failure instanceof ClassCastException || failure instanceof UnsupportedOperationException);
    }
}
