package ai.vidgen.faladapter.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationFailed;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 3: with 200 generations in flight, the PACKAGED adapter is killed with SIGKILL and started
 * again on the same database; every generation still completes exactly once and fal (the emulator)
 * counts exactly 200 submissions: nothing is lost, nothing is submitted twice.
 */
class FalAdapterCrashIT {

    private static final int GENERATIONS = 200;
    private static ProcessStack stack;

    @BeforeAll
    static void start() {
        // 50 runners, 2 s each: 200 requests take about 8 s at fal, long enough to be caught mid-flight.
        // A submit whose reply the crash swallowed is recovered by its webhook if fal got it; if
        // no webhook came within 30 s (here; hours in production) fal never got it, and the
        // attempt fails retryably for the dispatcher to retry.
        stack = new ProcessStack(Map.of(
                "EMULATOR_CONCURRENCY", "50",
                "EMULATOR_INFERENCE_TIME", "2s"),
                Map.of("FAL_SUBMIT_LOST_REPLY_GRACE", "30s", "FAL_SUBMIT_LOST_REPLY_SWEEP", "2s"),
                "384m", "256m");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aSigkilledAdapterLosesNothingAndSubmitsNothingTwice() {
        stack.startAdapter();
        String prefix = "gen-crash-" + UUID.randomUUID();
        List<GenerationDispatched> dispatches = ProcessStack.dispatches(prefix, GENERATIONS);
        Set<String> ids = dispatches.stream().map(GenerationDispatched::generationId).collect(Collectors.toSet());
        stack.publish(dispatches);

        // A good share submitted and at fal, the rest still to be consumed: the crash hits both.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> stack.emulatorStats().path("total_submissions").asLong() >= GENERATIONS / 3);
        long atKill = stack.emulatorStats().path("total_submissions").asLong();
        stack.adapter().process().kill();
        assertTrue(atKill < GENERATIONS, "the adapter was killed with generations still to submit: " + atKill);
        long completedAtKill = stack.generationsWith(GenerationCompleted.class).stream().filter(ids::contains).count();
        assertTrue(completedAtKill < GENERATIONS, "killed mid-flight");

        stack.startAdapter();
        Set<String> retried = new HashSet<>();
        await().atMost(Duration.ofSeconds(100)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            redispatchRetryableFailures(retried);
            Set<String> completed = stack.generationsWith(GenerationCompleted.class);
            assertEquals(GENERATIONS, ids.stream().filter(completed::contains).count(), "completed generations");
        });
        assertEquals(GENERATIONS, stack.emulatorStats().path("total_submissions").asLong(),
                "fal saw each generation once");
        List<GenerationFailed> failed = stack.all(GenerationFailed.class);
        assertTrue(failed.stream().allMatch(f -> f.retryable() && "submit_unconfirmed".equals(f.errorType())),
                "only submits fal never got failed, to be retried: " + failed);
        assertEquals("200", stack.sql("SELECT count(*) FROM fal_requests WHERE state = 'COMPLETED'"));
        assertEquals(Integer.toString(retried.size()), stack.sql("SELECT count(*) FROM fal_requests WHERE state = 'FAILED'"));
        assertEquals("0", stack.sql("SELECT count(*) FROM fal_requests WHERE state NOT IN ('COMPLETED', 'FAILED')"));
        System.out.printf("killed at %d submissions; %d submits fal never got were retried as attempt 2%n", atKill,
                retried.size());
    }

    /** The dispatcher's part: a retryable GenerationFailed comes back as the next attempt. */
    private static void redispatchRetryableFailures(Set<String> retried) {
        for (GenerationFailed failed : stack.all(GenerationFailed.class)) {
            String key = failed.generationId() + "#" + failed.attempt();
            if (failed.retryable() && retried.add(key)) {
                // The same generation and input as the first attempt.
                GenerationDispatched first = Harness.dispatched(failed.generationId(),
                        Harness.validInput(failed.generationId()));
                stack.publish(List.of(new GenerationDispatched(first.generationId(), first.tenantId(), first.spec(),
                        first.input(), failed.attempt() + 1, first.falPriority())));
            }
        }
    }
}
