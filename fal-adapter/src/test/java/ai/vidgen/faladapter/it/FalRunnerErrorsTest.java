package ai.vidgen.faladapter.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationProgress;
import ai.vidgen.events.GenerationSubmitted;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * fal as it behaves in production: the queue accepts any input and the runner rejects it, so the
 * failure surfaces through polling (COMPLETED with an error, then a 422 from the result call).
 * Renders take long enough here to watch the progress events.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(value = FalEmulatorResource.class, initArgs = {
        @ResourceArg(name = "validation-mode", value = "result"),
        @ResourceArg(name = "inference-time", value = "2500ms")})
class FalRunnerErrorsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static Harness harness;

    @BeforeEach
    void harness() {
        if (harness == null) {
            harness = new Harness();
        }
    }

    @AfterAll
    static void close() {
        if (harness != null) {
            harness.close();
            harness = null;
        }
    }

    @Test
    void aRunnerValidationErrorFailsTheAttemptThroughPolling() {
        String generationId = Harness.newGenerationId();
        ObjectNode input = Harness.validInput(generationId);
        input.remove("prompt");
        harness.produce(Harness.dispatched(generationId, input));

        GenerationFailed failed = await().atMost(TIMEOUT)
                .until(() -> harness.first(generationId, GenerationFailed.class).orElse(null), f -> f != null);
        GenerationSubmitted submitted = harness.first(generationId, GenerationSubmitted.class).orElseThrow();
        assertFalse(failed.retryable(), "a 422 from the runner is final");
        assertEquals(1, failed.attempt());
        assertTrue(failed.message().contains("prompt"), failed.message());
        assertTrue(harness.first(generationId, GenerationCompleted.class).isEmpty());
        assertEquals(1, harness.emulatorRequest(submitted.falRequestId()).orElseThrow().path("submissions").asInt());
    }

    @Test
    void progressIsPublishedBetweenSubmittedAndCompleted() {
        String generationId = Harness.newGenerationId();
        harness.produce(Harness.dispatched(generationId, Harness.validInput(generationId)));

        await().atMost(TIMEOUT).until(() -> harness.first(generationId, GenerationCompleted.class).isPresent());
        List<GenerationEvent> events = harness.eventsOf(generationId);
        List<GenerationProgress> progress = harness.eventsOf(generationId, GenerationProgress.class);
        assertFalse(progress.isEmpty(), "a 2.5 s render is seen IN_PROGRESS at least once: " + events);
        GenerationProgress running = progress.stream().filter(p -> p.falStatus().equals("IN_PROGRESS"))
                .findFirst().orElseThrow();
        assertNull(running.queuePosition());
        assertTrue(events.indexOf(harness.first(generationId, GenerationSubmitted.class).orElseThrow())
                < events.indexOf(running));
        assertTrue(events.indexOf(running)
                < events.indexOf(harness.first(generationId, GenerationCompleted.class).orElseThrow()));
        assertEquals(1, progress.stream().filter(p -> p.falStatus().equals("IN_PROGRESS")).count(),
                "progress is published on changes only, not on every poll");
    }
}
