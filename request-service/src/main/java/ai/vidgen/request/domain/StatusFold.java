package ai.vidgen.request.domain;

import ai.vidgen.events.ArchiveFailed;
import ai.vidgen.events.GenerationAbandoned;
import ai.vidgen.events.GenerationCancelRequested;
import ai.vidgen.events.GenerationReserved;
import ai.vidgen.events.GenerationBilled;
import ai.vidgen.events.GenerationCancelled;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationProgress;
import ai.vidgen.events.GenerationRejected;
import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.GenerationSubmitted;
import ai.vidgen.events.VideoArchived;

/**
 * Folds one lifecycle event into a generation's status, never backwards.
 *
 * <p>Events of one generation arrive in order on one partition, but a producer's retry can
 * re-publish an old fact after newer ones, and events of an abandoned attempt can trail behind
 * the next attempt. So an event applies only if its (attempt, stage) is not behind the current
 * position, and a terminal status absorbs everything except the bill.
 */
public final class StatusFold {

    private StatusFold() {
    }

    public static FoldOutcome fold(Progression current, GenerationEvent event) {
        if (event instanceof GenerationBilled) {
            return new FoldOutcome.Annotate(Stage.BILLED);
        }
        if (event instanceof GenerationReserved) {
            return new FoldOutcome.Annotate(Stage.RESERVED);
        }
        if (current.status().terminal()) {
            return new FoldOutcome.Stale();
        }
        if (event instanceof GenerationCancelRequested) {
            // A request, not an outcome: it goes on the timeline; the status waits for the answer.
            return new FoldOutcome.Annotate(Stage.CANCEL_REQUESTED);
        }
        if (event instanceof GenerationAbandoned) {
            return beforeRender(current, Stage.ABANDONED, GenerationStatus.FAILED);
        }
        if (event instanceof GenerationRequested) {
            return step(current, 0, Stage.REQUESTED, GenerationStatus.QUEUED);
        }
        if (event instanceof GenerationDispatched e) {
            return step(current, e.attempt(), Stage.DISPATCHED, GenerationStatus.QUEUED);
        }
        if (event instanceof GenerationSubmitted e) {
            return step(current, e.attempt(), Stage.SUBMITTED, GenerationStatus.IN_PROGRESS);
        }
        if (event instanceof GenerationProgress e) {
            Stage stage = "IN_QUEUE".equals(e.falStatus()) ? Stage.IN_QUEUE : Stage.IN_PROGRESS;
            return step(current, e.attempt(), stage, GenerationStatus.IN_PROGRESS);
        }
        if (event instanceof GenerationFailed e) {
            // A retryable failure is not the end: the dispatcher retries it (or abandons it later),
            // so to the owner it is still in progress.
            return step(current, e.attempt(), Stage.FAILED,
                    e.retryable() ? GenerationStatus.IN_PROGRESS : GenerationStatus.FAILED);
        }
        if (event instanceof GenerationCompleted e) {
            return step(current, e.attempt(), Stage.RENDERED, GenerationStatus.ARCHIVING);
        }
        if (event instanceof VideoArchived) {
            return finish(current, Stage.ARCHIVED, GenerationStatus.COMPLETED);
        }
        if (event instanceof ArchiveFailed) {
            return finish(current, Stage.ARCHIVE_FAILED, GenerationStatus.FAILED);
        }
        if (event instanceof GenerationCancelled) {
            return beforeRender(current, Stage.CANCELLED, GenerationStatus.CANCELLED);
        }
        if (event instanceof GenerationRejected) {
            return beforeRender(current, Stage.REJECTED, GenerationStatus.REJECTED);
        }
        throw new IllegalArgumentException("no fold rule for " + event.getClass().getSimpleName());
    }

    /**
     * One of this service's events (GenerationRequested, GenerationCancelRequested) was refused
     * for good by the broker: nobody downstream will hear of it, so the generation would wait for
     * ever. It fails instead, like a final failure of its current attempt, unless it already ended
     * or fal already delivered the render (which is then archived and billed as usual).
     */
    public static FoldOutcome publishRejected(Progression current) {
        if (current.status().terminal() || current.rank() >= Stage.RENDERED.rank()) {
            return new FoldOutcome.Stale();
        }
        return new FoldOutcome.Advance(new Progression(GenerationStatus.FAILED, current.attempt(),
                Math.max(current.rank(), Stage.FAILED.rank())), Stage.FAILED, current.attempt());
    }

    private static FoldOutcome step(Progression current, int attempt, Stage stage, GenerationStatus status) {
        if (!current.reachedBy(attempt, stage.rank())) {
            return new FoldOutcome.Stale();
        }
        Progression next = new Progression(status, attempt, stage.rank());
        // A repeat of where it stands (our own GenerationRequested coming back, another poll of the
        // same fal status) changes nothing, except that a queue position moves.
        if (next.equals(current) && stage != Stage.IN_QUEUE) {
            return new FoldOutcome.Stale();
        }
        return new FoldOutcome.Advance(next, stage, attempt);
    }

    /** Archiving ends the generation whatever attempt rendered it. */
    private static FoldOutcome finish(Progression current, Stage stage, GenerationStatus status) {
        return new FoldOutcome.Advance(new Progression(status, current.attempt(), stage.rank()), stage,
                current.attempt());
    }

    /**
     * A cancel or a rejection that arrives after fal delivered the render is too late: the render
     * exists and is paid for, so it is archived rather than thrown away.
     */
    private static FoldOutcome beforeRender(Progression current, Stage stage, GenerationStatus status) {
        if (current.rank() >= Stage.RENDERED.rank()) {
            return new FoldOutcome.Stale();
        }
        return new FoldOutcome.Advance(new Progression(status, current.attempt(), stage.rank()), stage,
                current.attempt());
    }
}
