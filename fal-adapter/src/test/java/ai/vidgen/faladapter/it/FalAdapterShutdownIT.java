package ai.vidgen.faladapter.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationSubmitted;
import ai.vidgen.testsupport.infra.QuarkusApp;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A SIGTERM (what Kubernetes sends to a pod it stops) while a submit is in flight at fal: the
 * PACKAGED adapter finishes that submit before it exits, so fal's request id is in the database, and
 * the restarted adapter completes the generation exactly once from that row.
 *
 * <p>Webhooks are off here: a webhook could otherwise recover a lost request id after the fact and
 * hide what the shutdown itself does.
 */
class FalAdapterShutdownIT {

    /** fal holds its answer to the submit this long; the shutdown must wait for it. */
    private static final Duration SLOW_SUBMIT = Duration.ofSeconds(12);
    /** {@code quarkus.shutdown.timeout} of the adapter (application.properties). */
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(25);

    private static ProcessStack stack;

    @BeforeAll
    static void start() {
        stack = new ProcessStack(Map.of(
                "EMULATOR_SLOW_ANSWER_DELAY", SLOW_SUBMIT.toSeconds() + "s",
                "EMULATOR_INFERENCE_TIME", "2s"),
                Map.of("FAL_WEBHOOK_PUBLIC_URL", ""),
                "256m", "256m");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aSigtermMidSubmitRecordsTheRequestId() throws Exception {
        QuarkusApp adapter = stack.startAdapter();
        stack.emulatorFaults("[{\"fault\":\"submit_slow\",\"rate\":1.0}]");
        String generationId = "gen-sigterm-" + UUID.randomUUID();
        GenerationDispatched dispatched = Harness.dispatched(generationId, Harness.validInput(generationId));
        stack.publish(List.of(dispatched));

        // fal has the request; its answer is still on the way.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> stack.emulatorRequests().size() == 1);
        String falRequestId = stack.emulatorRequests().get(0).path("request_id").asText();
        assertEquals("SUBMITTING", stack.sql("SELECT state FROM fal_requests WHERE generation_id = '"
                + generationId + "'"), "the submit is in flight when the SIGTERM comes");

        long sigtermAt = System.nanoTime();
        adapter.process().process().destroy(); // SIGTERM

        // Kubernetes stops routing to it at once, while it still finishes the submit.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> !adapter.isReady());
        assertTrue(adapter.process().isAlive(), "still finishing the submit when readiness went down");

        // It exits by itself, within its shutdown budget (no SIGKILL from the test).
        assertTrue(adapter.process().process().waitFor(SHUTDOWN_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS),
                "the adapter exited by itself after the SIGTERM");
        Duration exitedAfter = Duration.ofNanos(System.nanoTime() - sigtermAt);
        assertTrue(exitedAfter.compareTo(SHUTDOWN_TIMEOUT.plusSeconds(5)) < 0, "exited after " + exitedAfter);

        // fal's answer was stored before the exit: no NEEDS_ATTENTION, no resubmit.
        assertEquals("IN_QUEUE|" + falRequestId + "|t", stack.sql("SELECT state, fal_request_id, submitted_published"
                + " FROM fal_requests WHERE generation_id = '" + generationId + "'"));
        assertEquals(1, stack.emulatorStats().path("total_submissions").asLong(), "fal got one submission");
        await().atMost(Duration.ofSeconds(10)).until(() -> stack.all(GenerationSubmitted.class).stream()
                .anyMatch(s -> s.generationId().equals(generationId) && s.falRequestId().equals(falRequestId)));

        // Tracking resumes from the database after the restart; the generation completes once.
        stack.clearEmulatorFaults();
        stack.startAdapter();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> stack.generationsWith(GenerationCompleted.class).contains(generationId));
        assertEquals(1, stack.all(GenerationCompleted.class).stream()
                .filter(c -> c.generationId().equals(generationId)).count(), "one GenerationCompleted");
        assertEquals(1, stack.all(GenerationSubmitted.class).stream()
                .filter(s -> s.generationId().equals(generationId)).count(), "one GenerationSubmitted");
        assertEquals(1, stack.emulatorStats().path("total_submissions").asLong(), "still one submission at fal");
        // The row is written once the broker acknowledged the event, a moment after it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals("COMPLETED",
                stack.sql("SELECT state FROM fal_requests WHERE generation_id = '" + generationId + "'")));
        JsonNode request = stack.emulatorRequests().get(0);
        assertEquals(falRequestId, request.path("request_id").asText());
        assertFalse(adapter.process().isAlive());
    }
}
