package ai.vidgen.faladapter.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.GenerationCancelRequested;
import ai.vidgen.events.GenerationCancelled;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationSubmitted;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GenerationCancelRequested against the emulator: fal's cancel for a queued request, a tombstone
 * for a cancel that overtakes its Dispatched, and nothing for a generation that already finished.
 * No start timeout here (unlike {@link FalFailureModesTest}): a request held in fal's queue must
 * stay there until the cancel reaches it, however slow the machine, or fal's own timeout would end
 * it first and the test would race it.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(value = FalEmulatorResource.class, initArgs = @ResourceArg(name = "webhooks", value = "true"))
class FalCancelTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static Harness harness;

    @Inject
    AgroalDataSource database;

    @BeforeEach
    void harness() {
        if (harness == null) {
            harness = new Harness();
        }
        harness.faults(null, 0);
    }

    @AfterEach
    void noFaults() {
        harness.faults(null, 0);
    }

    @AfterAll
    static void close() {
        if (harness != null) {
            harness.close();
            harness = null;
        }
    }

    private static GenerationCancelRequested cancelRequest(String generationId) {
        return new GenerationCancelRequested(generationId, "tenant-a", "user asked", Instant.now());
    }

    @Test
    void aRequestStillQueuedAtFalIsCancelledBeforeItStarted() {
        // No runner free: the request stays IN_QUEUE at fal until it is cancelled.
        harness.faults("queue_stalled", 1.0);
        long before = harness.emulatorSubmissions();
        String generationId = Harness.newGenerationId();
        harness.produce(Harness.dispatched(generationId, Harness.validInput(generationId)));
        GenerationSubmitted submitted = await().atMost(TIMEOUT)
                .until(() -> harness.first(generationId, GenerationSubmitted.class).orElse(null), s -> s != null);
        assertEquals("IN_QUEUE", harness.emulatorRequest(submitted.falRequestId()).orElseThrow().path("status").asText());

        harness.produce(cancelRequest(generationId));
        GenerationCancelled cancelled = await().atMost(TIMEOUT)
                .until(() -> harness.first(generationId, GenerationCancelled.class).orElse(null), c -> c != null);
        assertEquals("cancelled", cancelled.reason());
        assertTrue(cancelled.beforeStart(), cancelled.toString());
        JsonNode atFal = harness.emulatorRequest(submitted.falRequestId()).orElseThrow();
        assertEquals("cancelled", atFal.path("outcome").asText(), atFal.toString());
        assertEquals(before + 1, harness.emulatorSubmissions(), "exactly one submission at fal");
        await().atMost(TIMEOUT).until(() -> "CANCELLED".equals(state(generationId)));
        // Lifting the stall starts nothing: the request is gone, and no other outcome follows.
        harness.faults(null, 0);
        await().pollDelay(Duration.ofSeconds(2)).atMost(TIMEOUT).untilAsserted(() -> {
            assertEquals(1, harness.eventsOf(generationId, GenerationCancelled.class).size());
            assertTrue(harness.eventsOf(generationId, GenerationCompleted.class).isEmpty());
            assertTrue(harness.eventsOf(generationId, GenerationFailed.class).isEmpty());
        });
    }

    @Test
    void aCancelThatOvertakesItsDispatchMeansTheDispatchIsNeverSubmitted() {
        long before = harness.emulatorSubmissions();
        String generationId = Harness.newGenerationId();
        harness.produce(cancelRequest(generationId));
        harness.produce(Harness.dispatched(generationId, Harness.validInput(generationId)));
        GenerationCancelled cancelled = await().atMost(TIMEOUT)
                .until(() -> harness.first(generationId, GenerationCancelled.class).orElse(null), c -> c != null);
        assertTrue(cancelled.beforeStart());
        // The Cancelled came from handling the Dispatched (the cancel request alone publishes
        // nothing), so that handling is over: nothing went to fal.
        assertTrue(harness.eventsOf(generationId, GenerationSubmitted.class).isEmpty());
        assertEquals(before, harness.emulatorSubmissions(), "never submitted");
        assertEquals(null, state(generationId), "no attempt was recorded");
    }

    @Test
    void aCancelAfterCompletionChangesNothing() {
        long before = harness.emulatorSubmissions();
        String generationId = Harness.newGenerationId();
        harness.produce(Harness.dispatched(generationId, Harness.validInput(generationId)));
        await().atMost(TIMEOUT).until(() -> harness.first(generationId, GenerationCompleted.class).isPresent());
        await().atMost(TIMEOUT).until(() -> "COMPLETED".equals(state(generationId)));

        harness.produce(cancelRequest(generationId));
        await().atMost(TIMEOUT).until(() -> tombstoned(generationId));
        await().pollDelay(Duration.ofSeconds(1)).atMost(TIMEOUT).untilAsserted(() -> {
            assertTrue(harness.eventsOf(generationId, GenerationCancelled.class).isEmpty());
            assertEquals(1, harness.eventsOf(generationId, GenerationCompleted.class).size());
        });
        assertEquals("COMPLETED", state(generationId));
        assertEquals(before + 1, harness.emulatorSubmissions());
    }

    /** Whether the adapter recorded the generation's cancel request. */
    private boolean tombstoned(String generationId) {
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select 1 from fal_cancel_tombstones where generation_id = ?")) {
            statement.setString(1, generationId);
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String state(String generationId) {
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select state from fal_requests where generation_id = ? order by attempt desc limit 1")) {
            statement.setString(1, generationId);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() ? result.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
