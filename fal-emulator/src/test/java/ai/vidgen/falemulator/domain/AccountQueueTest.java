package ai.vidgen.falemulator.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.catalog.KlingEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccountQueueTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration DELAY = Duration.ofMillis(100);

    private static final Outcome VIDEO = Outcome.Succeeded.video(
            new Outcome.OutputFile("u", "video/mp4", "output.mp4", 1, null, null), 5);

    private int next;

    private NewRequest request(Instant submittedAt, String input) {
        GenerationPlan plan = GenerationPlan.video(KlingEndpoint.V3_STANDARD_T2V,
                new VideoSpec(5, AspectRatio.DEFAULT, true), false);
        return new NewRequest("r" + next++, KlingEndpoint.V3_STANDARD_T2V, Optional.of(plan), List.of(), input,
                Optional.empty(), "http://emu", submittedAt, submittedAt.plus(DELAY));
    }

    private static List<String> ids(Dispatch dispatch) {
        return dispatch.started().stream().map(NewRequest::id).toList();
    }

    @Test
    void startsInOrderUpToTheLimitAndReportsPositions() {
        AccountQueue queue = new AccountQueue(2, 100);
        for (int i = 0; i < 4; i++) {
            assertEquals(Optional.of(i), queue.submit(request(T0, "in" + i)).orElseThrow().queuePosition());
        }
        assertEquals(List.of("r0", "r1"), ids(queue.startEligible(T0.plus(DELAY))));
        assertEquals(Optional.of(0), queue.find("r2").orElseThrow().queuePosition());
        assertEquals(Optional.of(1), queue.find("r3").orElseThrow().queuePosition());
        assertEquals(List.of(), ids(queue.startEligible(T0.plus(DELAY))), "no free slot");

        assertTrue(queue.complete("r1", VIDEO, T0.plusSeconds(1)));
        assertEquals(List.of("r2"), ids(queue.startEligible(T0.plusSeconds(1))));
        assertEquals(Optional.of(0), queue.find("r3").orElseThrow().queuePosition());

        QueueStats stats = queue.stats();
        assertEquals(2, stats.inProgress());
        assertEquals(1, stats.queued());
        assertEquals(2, stats.peakInProgress());
        assertEquals(4, stats.totalSubmissions());
    }

    @Test
    void theHeadWaitsItsQueueDelayAndBlocksTheRest() {
        AccountQueue queue = new AccountQueue(5, 100);
        queue.submit(request(T0, "a"));
        Dispatch early = queue.startEligible(T0.plusMillis(40));
        assertEquals(List.of(), ids(early));
        assertEquals(Optional.of(Duration.ofMillis(60)), early.retryIn());
        assertEquals(List.of("r0"), ids(queue.startEligible(T0.plusMillis(100))));
    }

    @Test
    void cancellingAQueuedRequestRemovesItForGood() {
        AccountQueue queue = new AccountQueue(1, 100);
        queue.submit(request(T0, "a"));
        queue.submit(request(T0, "b"));
        queue.submit(request(T0, "c"));
        queue.startEligible(T0.plus(DELAY));

        assertEquals(CancelResult.CANCELLATION_REQUESTED, queue.cancel("r1", T0.plusSeconds(1)));
        assertEquals(Optional.of(0), queue.find("r2").orElseThrow().queuePosition());
        RequestSnapshot cancelled = queue.find("r1").orElseThrow();
        assertEquals(RequestStatus.COMPLETED, cancelled.status());
        assertTrue(((Outcome.Failed) cancelled.outcome().orElseThrow()).cancelled());
        assertEquals(Optional.empty(), cancelled.inferenceSeconds(), "it never ran");
        assertEquals(CancelResult.ALREADY_COMPLETED, queue.cancel("r1", T0.plusSeconds(2)));
        assertEquals(CancelResult.NOT_FOUND, queue.cancel("nope", T0.plusSeconds(2)));
    }

    @Test
    void cancellingARunningRequestFreesItsSlotAndIgnoresItsLateCompletion() {
        AccountQueue queue = new AccountQueue(1, 100);
        queue.submit(request(T0, "a"));
        queue.submit(request(T0, "b"));
        queue.startEligible(T0.plus(DELAY));

        assertEquals(CancelResult.CANCELLATION_REQUESTED, queue.cancel("r0", T0.plusSeconds(1)));
        assertFalse(queue.complete("r0", VIDEO, T0.plusSeconds(2)));
        assertInstanceOf(Outcome.Failed.class, queue.find("r0").orElseThrow().outcome().orElseThrow());
        assertEquals(List.of("r1"), ids(queue.startEligible(T0.plusSeconds(1))));
    }

    @Test
    void atCapacityTheFirstCompletedIsForgottenAndLiveRequestsAreNever() {
        AccountQueue queue = new AccountQueue(5, 2);
        queue.submit(request(T0, "a"));
        queue.submit(request(T0, "b"));
        assertEquals(Optional.empty(), queue.submit(request(T0, "c")), "both remembered requests are live");

        queue.startEligible(T0.plus(DELAY));
        queue.complete("r1", Outcome.internalError("x"), T0.plusSeconds(1));
        assertTrue(queue.submit(request(T0, "d")).isPresent());
        assertEquals(Optional.empty(), queue.find("r1"));
        assertTrue(queue.find("r0").isPresent());
    }

    @Test
    void forgetsOnlyWhatCompletedBeforeTheCutoff() {
        AccountQueue queue = new AccountQueue(5, 100);
        queue.submit(request(T0, "a"));
        queue.submit(request(T0, "b"));
        queue.startEligible(T0.plus(DELAY));
        queue.complete("r0", Outcome.internalError("x"), T0.plusSeconds(10));
        queue.complete("r1", Outcome.internalError("x"), T0.plusSeconds(20));
        assertEquals(1, queue.forgetCompletedBefore(T0.plusSeconds(15)));
        assertEquals(Optional.empty(), queue.find("r0"));
        assertTrue(queue.find("r1").isPresent());
    }

    @Test
    void countsSubmissionsOfTheSameInput() {
        AccountQueue queue = new AccountQueue(5, 100);
        queue.submit(request(T0, "same"));
        queue.submit(request(T0, "same"));
        queue.submit(request(T0, "other"));
        assertEquals(2, queue.find("r0").orElseThrow().submissions());
        assertEquals(1, queue.find("r2").orElseThrow().submissions());
    }

    @Test
    void keepsTheLastTraceparentOfEachKindOfCall() {
        AccountQueue queue = new AccountQueue(5, 100);
        queue.submit(request(T0, "in"));
        String submit = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String firstPoll = "00-4bf92f3577b34da6a3ce929d0e0e4736-1111111111111111-01";
        String secondPoll = "00-4bf92f3577b34da6a3ce929d0e0e4736-2222222222222222-01";
        queue.traced("r0", QueueCall.SUBMIT, submit);
        queue.traced("r0", QueueCall.STATUS, firstPoll);
        queue.traced("r0", QueueCall.STATUS, secondPoll);
        queue.traced("r0", QueueCall.RESULT, " ");
        queue.traced("r0", QueueCall.CANCEL, "x".repeat(1000));
        queue.traced("unknown", QueueCall.STATUS, firstPoll);

        assertEquals(Map.of(QueueCall.SUBMIT, submit, QueueCall.STATUS, secondPoll),
                queue.find("r0").orElseThrow().traceparents());
    }
}
