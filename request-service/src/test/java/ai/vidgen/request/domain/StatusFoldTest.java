package ai.vidgen.request.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import ai.vidgen.events.ArchiveFailed;
import ai.vidgen.events.GenerationBilled;
import ai.vidgen.events.GenerationCancelled;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationProgress;
import ai.vidgen.events.GenerationRejected;
import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.GenerationSubmitted;
import ai.vidgen.events.VideoArchived;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusFoldTest {

    private static final String ID = "g1";
    private static final String T = "t1";
    private static final GenerationSpec SPEC = new GenerationSpec("fal-ai/kling-video/v3/standard/text-to-video", 5, true, false);

    @Test
    void theHappyPathEndsCompletedWhateverTheBillTiming() {
        Progression p = fold(Progression.accepted(),
                new GenerationRequested(ID, T, SPEC, null, "interactive", null, Instant.now()),
                dispatched(1), submitted(1), progress(1, "IN_QUEUE", 3), progress(1, "IN_PROGRESS", null),
                completed(1));
        assertEquals(GenerationStatus.ARCHIVING, p.status());
        // Billing may settle before the archive lands; the bill never moves the status.
        assertInstanceOf(FoldOutcome.Annotate.class, StatusFold.fold(p, billed()));
        p = fold(p, archived());
        assertEquals(GenerationStatus.COMPLETED, p.status());
        assertInstanceOf(FoldOutcome.Annotate.class, StatusFold.fold(p, billed()));
    }

    @Test
    void aRefusedEventFailsAGenerationThatIsStillWaitingButNotOneThatWasRendered() {
        FoldOutcome queued = StatusFold.publishRejected(Progression.accepted());
        FoldOutcome.Advance failed = assertInstanceOf(FoldOutcome.Advance.class, queued);
        assertEquals(GenerationStatus.FAILED, failed.next().status());
        assertEquals(Stage.FAILED, failed.stage());
        // A refused cancel request of one already at fal: it fails too, in its attempt.
        Progression running = fold(Progression.accepted(), dispatched(2), submitted(2));
        assertEquals(new Progression(GenerationStatus.FAILED, 2, Stage.FAILED.rank()),
                ((FoldOutcome.Advance) StatusFold.publishRejected(running)).next());
        // A render fal delivered is archived and billed as usual; an ended generation stays ended.
        assertInstanceOf(FoldOutcome.Stale.class, StatusFold.publishRejected(fold(running, completed(2))));
        assertInstanceOf(FoldOutcome.Stale.class,
                StatusFold.publishRejected(fold(running, completed(2), archived())));
        assertInstanceOf(FoldOutcome.Stale.class, StatusFold.publishRejected(failed.next()));
    }

    @Test
    void lateAndDuplicateEventsNeverMoveItBackwards() {
        Progression inProgress = fold(Progression.accepted(), dispatched(1), submitted(1), progress(1, "IN_PROGRESS", null));
        assertStale(inProgress, dispatched(1));
        assertStale(inProgress, progress(1, "IN_QUEUE", 2));
        assertStale(inProgress, new GenerationRequested(ID, T, SPEC, null, "interactive", null, Instant.now()));

        Progression done = fold(inProgress, completed(1), archived());
        for (GenerationEvent late : List.of(progress(1, "IN_PROGRESS", null), submitted(1), completed(1),
                failed(1, false), new GenerationCancelled(ID, T, "user", false), archived(),
                new ArchiveFailed(ID, T, "io", "disk"))) {
            assertStale(done, late);
        }
    }

    @Test
    void aRepeatChangesNothingButAQueuePositionMoves() {
        assertStale(Progression.accepted(), new GenerationRequested(ID, T, SPEC, null, "interactive", null, Instant.now()));
        Progression queuedAtFal = fold(Progression.accepted(), dispatched(1), submitted(1), progress(1, "IN_QUEUE", 5));
        assertInstanceOf(FoldOutcome.Advance.class, StatusFold.fold(queuedAtFal, progress(1, "IN_QUEUE", 4)));
        Progression running = fold(queuedAtFal, progress(1, "IN_PROGRESS", null));
        assertStale(running, progress(1, "IN_PROGRESS", null));
    }

    @Test
    void aRetryStartsANewAttemptAndIgnoresTheOldOnesStragglers() {
        Progression failedOnce = fold(Progression.accepted(), dispatched(1), submitted(1), failed(1, true));
        assertEquals(GenerationStatus.IN_PROGRESS, failedOnce.status());
        Progression retried = fold(failedOnce, dispatched(2), submitted(2));
        assertEquals(GenerationStatus.IN_PROGRESS, retried.status());
        assertEquals(2, retried.attempt());
        assertStale(retried, progress(1, "IN_PROGRESS", null));
        assertStale(retried, failed(1, true));
    }

    @Test
    void aFinalFailureAfterARetryableOneOfTheSameAttemptEndsIt() {
        // e.g. the dispatcher gives up after the adapter's retryable failure.
        Progression p = fold(Progression.accepted(), dispatched(1), submitted(1), failed(1, true), failed(1, false));
        assertEquals(GenerationStatus.FAILED, p.status());
    }

    @Test
    void rejectionCancellationAndArchiveFailureAreTerminal() {
        assertEquals(GenerationStatus.REJECTED, fold(Progression.accepted(),
                new GenerationRejected(ID, T, "budget_exceeded", "over budget")).status());
        assertEquals(GenerationStatus.CANCELLED, fold(Progression.accepted(), dispatched(1), submitted(1),
                new GenerationCancelled(ID, T, "user", false)).status());
        assertEquals(GenerationStatus.FAILED, fold(Progression.accepted(), dispatched(1), submitted(1), completed(1),
                new ArchiveFailed(ID, T, "checksum", "bad mp4")).status());
    }

    @Test
    void aCancelThatArrivesAfterTheRenderIsTooLate() {
        Progression rendered = fold(Progression.accepted(), dispatched(1), submitted(1), completed(1));
        assertStale(rendered, new GenerationCancelled(ID, T, "user", false));
        assertStale(rendered, new GenerationRejected(ID, T, "budget_exceeded", "late"));
        assertEquals(GenerationStatus.COMPLETED, fold(rendered, archived()).status());
    }

    private static Progression fold(Progression start, GenerationEvent... events) {
        Progression p = start;
        for (GenerationEvent e : events) {
            FoldOutcome outcome = StatusFold.fold(p, e);
            if (outcome instanceof FoldOutcome.Advance advance) {
                p = advance.next();
            }
        }
        return p;
    }

    private static void assertStale(Progression p, GenerationEvent e) {
        assertInstanceOf(FoldOutcome.Stale.class, StatusFold.fold(p, e), () -> e + " moved " + p);
    }

    private static GenerationDispatched dispatched(int attempt) {
        return new GenerationDispatched(ID, T, SPEC, null, attempt, "normal");
    }

    private static GenerationSubmitted submitted(int attempt) {
        return new GenerationSubmitted(ID, T, attempt, "fal-" + attempt);
    }

    private static GenerationProgress progress(int attempt, String status, Integer position) {
        return new GenerationProgress(ID, T, attempt, status, position, List.of());
    }

    private static GenerationFailed failed(int attempt, boolean retryable) {
        return new GenerationFailed(ID, T, attempt, "server_error", "boom", retryable);
    }

    private static GenerationCompleted completed(int attempt) {
        return new GenerationCompleted(ID, T, SPEC, attempt, "fal-" + attempt, "https://fal.media/x.mp4", "video/mp4",
                100L, 1000L);
    }

    private static VideoArchived archived() {
        return new VideoArchived(ID, T, "t1/2026/g1.mp4", "file:///v/g1.mp4", "video/mp4", 100, "ab", 5000, 1280, 720, true);
    }

    private static GenerationBilled billed() {
        return new GenerationBilled(ID, T, 1_120_000, 224_000, 5, "V3", "STANDARD", true, false, "2026-02");
    }
}
