package ai.vidgen.faladapter.persistence;

import java.util.function.Consumer;

/**
 * A change the poller decided for one row after talking to fal (and publishing what had to be
 * published). Applied later, with the other changes of the tick, in one transaction.
 *
 * @param outcome   for a terminal or attention change, the outcome counted once the change is
 *                  committed ({@code completed}, {@code failed}, {@code needs_attention}); else null
 * @param errorType the error type counted with the outcome ({@code none} for completed)
 */
public record RowChange(long id, Consumer<FalRequest> apply, String outcome, String errorType) {

    /** This change followed by {@code more}, with the same outcome. */
    public RowChange andThen(Consumer<FalRequest> more) {
        return new RowChange(id, apply.andThen(more), outcome, errorType);
    }

    public static RowChange of(long id, Consumer<FalRequest> apply) {
        return new RowChange(id, apply, null, null);
    }
}
