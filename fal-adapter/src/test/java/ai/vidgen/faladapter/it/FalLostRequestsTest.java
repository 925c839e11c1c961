package ai.vidgen.faladapter.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.AttemptEnded;
import ai.vidgen.events.GenerationAbandoned;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationProgress;
import ai.vidgen.events.GenerationSubmitted;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Attempts whose generation cannot come to an end at fal on its own: fal forgot the request (a
 * restart of fal, or its retention passed), or the generation was ended elsewhere while fal was
 * still rendering. Renders take a minute here, so every attempt is still open at fal when that
 * happens.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(value = FalEmulatorResource.class, initArgs = @ResourceArg(name = "inference-time", value = "60s"))
class FalLostRequestsTest {

    /** 10 status 404s in a row (the default limit) at most 2 s apart, with room to spare. */
    private static final Duration ENDED_WITHIN = Duration.ofSeconds(60);
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

    @Test
    void attemptsWhoseRequestsFalForgotFailAndOnlyTheNeverStartedOneIsRetryable() {
        String rendering1 = dispatch();
        String rendering2 = dispatch();
        awaitRendering(rendering1);
        awaitRendering(rendering2);
        // No runner takes new work: the next request stays queued at fal.
        harness.faults("queue_stalled", 1.0);
        String queued = dispatch();
        String queuedRequest = await().atMost(ENDED_WITHIN).until(() -> harness.first(queued,
                GenerationSubmitted.class).map(GenerationSubmitted::falRequestId).orElse(null), id -> id != null);
        assertEquals("IN_QUEUE", harness.emulatorRequest(queuedRequest).orElseThrow().path("status").asText());

        forgetEveryRequestAtFal();

        for (String rendering : List.of(rendering1, rendering2)) {
            GenerationFailed failed = awaitFailed(rendering);
            assertEquals("fal_lost", failed.errorType());
            assertFalse(failed.retryable(), "it may have rendered (and been paid for): never run again");
            assertEquals(1, terminalEvents(rendering).size(), harness.eventsOf(rendering).toString());
            awaitRowFailed(rendering);
        }
        GenerationFailed neverStarted = awaitFailed(queued);
        assertEquals("fal_lost", neverStarted.errorType());
        assertTrue(neverStarted.retryable(), "fal never started it: another attempt costs nothing twice");
        assertEquals(1, terminalEvents(queued).size());
        awaitRowFailed(queued);
    }

    @Test
    void anAttemptWhoseGenerationWasAbandonedIsCancelledAtFalAndPublishesNothingMore() {
        String generationId = dispatch();
        String requestId = awaitRendering(generationId);

        // The dispatcher gave the generation up (its slot reclaimed); billing releases on this event.
        harness.produce(new GenerationAbandoned(generationId, "tenant-a", 1, "reclaimed",
                "dispatched more than 2h ago and no terminal event came"));

        await().atMost(ENDED_WITHIN).until(() -> "ABANDONED".equals(state(generationId)));
        JsonNode atFal = await().atMost(ENDED_WITHIN).until(() -> harness.emulatorRequest(requestId).orElseThrow(),
                r -> "COMPLETED".equals(r.path("status").asText()));
        assertEquals("cancelled", atFal.path("outcome").asText(), "fal stopped rendering it: " + atFal);
        // fal now reports the request finished (cancelled): an adapter still tracking it would
        // publish that as the attempt's outcome within a poll or two.
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                .until(() -> terminalEvents(generationId).isEmpty());
        assertEquals("ABANDONED", state(generationId));
    }

    private String dispatch() {
        String generationId = Harness.newGenerationId();
        harness.produce(Harness.dispatched(generationId, Harness.validInput(generationId)));
        return generationId;
    }

    /** Waits until fal runs the attempt and the adapter has seen it running; returns fal's request id. */
    private String awaitRendering(String generationId) {
        await().atMost(ENDED_WITHIN).until(() -> harness.eventsOf(generationId, GenerationProgress.class).stream()
                .anyMatch(p -> "IN_PROGRESS".equals(p.falStatus())));
        await().atMost(ENDED_WITHIN).until(() -> "IN_PROGRESS".equals(state(generationId)));
        return harness.first(generationId, GenerationSubmitted.class).orElseThrow().falRequestId();
    }

    private GenerationFailed awaitFailed(String generationId) {
        return await().atMost(ENDED_WITHIN)
                .until(() -> harness.first(generationId, GenerationFailed.class).orElse(null), f -> f != null);
    }

    /**
     * The row is written once the broker acknowledged the terminal event (publish first, so a crash
     * in between republishes rather than loses it), so it may trail the event by a moment.
     */
    private void awaitRowFailed(String generationId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> "FAILED".equals(state(generationId)));
    }

    /** What the adapter published that ends the attempt (Completed, Failed, Cancelled). */
    private List<GenerationEvent> terminalEvents(String generationId) {
        return harness.eventsOf(generationId).stream()
                .filter(e -> e instanceof GenerationCompleted || e instanceof AttemptEnded
                        || e instanceof ai.vidgen.events.GenerationCancelled)
                .toList();
    }

    /** As a restart of fal does: every request it had is forgotten (status answers 404). */
    private void forgetEveryRequestAtFal() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(harness.emulatorUrl + "/_emulator/requests")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertTrue(harness.emulatorRequests().isEmpty());
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
