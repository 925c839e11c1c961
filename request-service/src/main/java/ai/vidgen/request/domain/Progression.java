package ai.vidgen.request.domain;

/**
 * Where a generation stands: its status and the furthest (attempt, stage rank) folded into it.
 * Keeping the position, not only the status, is what lets a retry go from {@code in_progress}
 * back to {@code queued} (attempt 2 is later than attempt 1) while a late event of attempt 1 is
 * ignored.
 */
public record Progression(GenerationStatus status, int attempt, int rank) {

    /** A just-accepted generation. */
    public static Progression accepted() {
        return new Progression(GenerationStatus.QUEUED, 0, Stage.REQUESTED.rank());
    }

    /** True when (attempt, rank) is not behind this position. */
    boolean reachedBy(int otherAttempt, int otherRank) {
        return otherAttempt > attempt || (otherAttempt == attempt && otherRank >= rank);
    }
}
