package ai.vidgen.faladapter.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationSubmitted;
import ai.vidgen.faladapter.webhook.WebhookToken;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each failure mode fal (the emulator, with injected faults) can produce, with webhooks on: the
 * generation's terminal state, and exactly one submission counted by the emulator (none for a
 * 429 at submit, where fal created no request).
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(value = FalEmulatorResource.class, initArgs = {
        @ResourceArg(name = "webhooks", value = "true"),
        @ResourceArg(name = "start-timeout", value = "2s")})
class FalFailureModesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static Harness harness;

    @Inject
    AgroalDataSource database;

    // Read at run time, not injected: every test class is a bean of every test app, and the other
    // apps run without webhooks.
    private final String publicUrl = ConfigProvider.getConfig().getValue("fal.webhook.public-url", String.class);
    private final String tokenSecret = FalEmulatorResource.WEBHOOK_TOKEN_SECRET; // a Secret: not readable from config

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

    private String dispatch() {
        String generationId = Harness.newGenerationId();
        harness.produce(Harness.dispatched(generationId, Harness.validInput(generationId)));
        return generationId;
    }

    private GenerationFailed awaitFailed(String generationId) {
        return await().atMost(TIMEOUT)
                .until(() -> harness.first(generationId, GenerationFailed.class).orElse(null), f -> f != null);
    }

    private void assertOneSubmissionAtFal(String generationId, long submissionsBefore) {
        GenerationSubmitted submitted = harness.first(generationId, GenerationSubmitted.class).orElseThrow();
        assertEquals(1, harness.eventsOf(generationId, GenerationSubmitted.class).size());
        assertEquals(1, harness.emulatorRequest(submitted.falRequestId()).orElseThrow().path("submissions").asInt());
        assertEquals(submissionsBefore + 1, harness.emulatorSubmissions(), "exactly one submission at fal");
    }

    @Test
    void aCompletedRequestIsAnnouncedByASignedWebhookTheAdapterAccepts() {
        long before = harness.emulatorSubmissions();
        String generationId = dispatch();
        GenerationCompleted completed = await().atMost(TIMEOUT)
                .until(() -> harness.first(generationId, GenerationCompleted.class).orElse(null), c -> c != null);
        assertOneSubmissionAtFal(generationId, before);
        List<JsonNode> attempts = await().atMost(TIMEOUT)
                .until(() -> harness.webhookAttempts(completed.falRequestId()), a -> !a.isEmpty());
        assertEquals(200, attempts.get(0).path("http_status").asInt(), attempts.toString());
        assertTrue(attempts.get(0).path("url").asText().startsWith(publicUrl + "/fal/webhooks/"));
        assertEquals(1, harness.eventsOf(generationId, GenerationCompleted.class).size());
    }

    @Test
    void contentPolicyViolationFailsForGood() {
        harness.faults("content_policy_violation", 1.0);
        long before = harness.emulatorSubmissions();
        String generationId = dispatch();
        GenerationFailed failed = awaitFailed(generationId);
        assertEquals("content_policy_violation", failed.errorType());
        assertFalse(failed.retryable());
        await().atMost(TIMEOUT).until(() -> "FAILED".equals(row(generationId).get("state")));
        assertOneSubmissionAtFal(generationId, before);
    }

    @Test
    void aServerErrorFailsRetryably() {
        harness.faults("internal_error", 1.0);
        long before = harness.emulatorSubmissions();
        String generationId = dispatch();
        GenerationFailed failed = awaitFailed(generationId);
        assertEquals("internal_error", failed.errorType());
        assertTrue(failed.retryable());
        await().atMost(TIMEOUT).until(() -> "FAILED".equals(row(generationId).get("state")));
        assertOneSubmissionAtFal(generationId, before);
    }

    @Test
    void a429AtSubmitFailsRetryablyWithoutAFalRequest() {
        harness.faults("submit_rate_limited", 1.0);
        long before = harness.emulatorSubmissions();
        String generationId = dispatch();
        GenerationFailed failed = awaitFailed(generationId);
        assertTrue(failed.retryable(), failed.toString());
        assertTrue(harness.first(generationId, GenerationSubmitted.class).isEmpty());
        await().atMost(TIMEOUT).until(() -> "FAILED".equals(row(generationId).get("state")));
        assertNull(row(generationId).get("fal_request_id"));
        assertEquals(before, harness.emulatorSubmissions(), "fal created no request");
    }

    @Test
    void aLostSubmitReplyIsRecoveredByItsWebhook() {
        harness.faults("submit_connection_reset", 1.0);
        long before = harness.emulatorSubmissions();
        String generationId = dispatch();
        GenerationCompleted completed = await().atMost(TIMEOUT)
                .until(() -> harness.first(generationId, GenerationCompleted.class).orElse(null), c -> c != null);
        assertOneSubmissionAtFal(generationId, before);
        Map<String, Object> row = row(generationId);
        await().atMost(TIMEOUT).until(() -> "COMPLETED".equals(row(generationId).get("state")));
        assertEquals(completed.falRequestId(), row.get("fal_request_id"));
    }

    private GenerationCompleted awaitCompleted(String generationId) {
        return await().atMost(TIMEOUT)
                .until(() -> harness.first(generationId, GenerationCompleted.class).orElse(null), c -> c != null);
    }

    /** Exactly one Completed and no Failed, even a while after it (late or repeated signals). */
    private void assertCompletedOnce(String generationId) {
        await().pollDelay(Duration.ofSeconds(2)).atMost(TIMEOUT).untilAsserted(() -> {
            assertEquals(1, harness.eventsOf(generationId, GenerationCompleted.class).size());
            assertTrue(harness.eventsOf(generationId, GenerationFailed.class).isEmpty());
        });
        await().atMost(TIMEOUT).until(() -> "COMPLETED".equals(row(generationId).get("state")));
    }

    @Test
    void aRequestNoRunnerStartsBeforeOurStartTimeoutFailsAsADeadlineForGood() {
        // Every runner busy: the request waits in fal's queue past X-Fal-Request-Timeout (2 s here).
        harness.faults("queue_stalled", 1.0);
        long before = harness.emulatorSubmissions();
        String generationId = dispatch();
        GenerationFailed failed = awaitFailed(generationId);
        assertEquals("deadline_exceeded", failed.errorType(), failed.toString());
        assertFalse(failed.retryable(), "fal stopped retrying on purpose; another attempt would time out again");
        await().atMost(TIMEOUT).until(() -> "FAILED".equals(row(generationId).get("state")));
        assertOneSubmissionAtFal(generationId, before);
        GenerationSubmitted submitted = harness.first(generationId, GenerationSubmitted.class).orElseThrow();
        JsonNode atFal = harness.emulatorRequest(submitted.falRequestId()).orElseThrow();
        assertEquals("request_timeout", atFal.path("error_type").asText(), atFal.toString());
        assertTrue(atFal.path("started_at").isNull() || atFal.path("started_at").isMissingNode(), atFal.toString());
    }

    @Test
    void connectionResetsOnStatusPollsAreRetriedAndTheGenerationCompletes() {
        harness.faults("status_connection_reset", 0.6);
        long before = harness.emulatorSubmissions();
        String generationId = dispatch();
        awaitCompleted(generationId);
        assertCompletedOnce(generationId);
        assertOneSubmissionAtFal(generationId, before);
    }

    @Test
    void connectionResetsOnResultFetchesAreRetriedAndTheGenerationCompletes() {
        harness.faults("result_connection_reset", 0.7);
        long before = harness.emulatorSubmissions();
        String generationId = dispatch();
        awaitCompleted(generationId);
        assertCompletedOnce(generationId);
        assertOneSubmissionAtFal(generationId, before);
    }

    @Test
    void aResultThatCannotBeFetchedForAWhileIsNotAFailedGeneration() {
        harness.faults("result_unavailable", 1.0);
        long before = harness.emulatorSubmissions();
        String generationId = dispatch();
        GenerationSubmitted submitted = await().atMost(TIMEOUT)
                .until(() -> harness.first(generationId, GenerationSubmitted.class).orElse(null), s -> s != null);
        // fal completed it, and the adapter kept trying to fetch the result.
        await().atMost(TIMEOUT).until(() -> "COMPLETED".equals(
                harness.emulatorRequest(submitted.falRequestId()).orElseThrow().path("status").asText()));
        await().atMost(TIMEOUT).until(() -> ((Number) row(generationId).get("result_attempts")).intValue() >= 1);
        assertTrue(harness.eventsOf(generationId, GenerationFailed.class).isEmpty(), "a fetch failure is no failure");
        harness.faults(null, 0);
        awaitCompleted(generationId);
        assertCompletedOnce(generationId);
        assertOneSubmissionAtFal(generationId, before);
    }

    @Test
    void withEveryWebhookDroppedPollingStillCompletesTheGeneration() {
        harness.faults("webhook_dropped", 1.0);
        long before = harness.emulatorSubmissions();
        String generationId = dispatch();
        GenerationCompleted completed = awaitCompleted(generationId);
        assertCompletedOnce(generationId);
        assertOneSubmissionAtFal(generationId, before);
        assertTrue(harness.webhookAttempts(completed.falRequestId()).stream()
                .allMatch(a -> a.path("http_status").asInt() == 0), "no webhook reached the adapter");
    }

    @Test
    void aDuplicatedWebhookCompletesTheGenerationOnce() {
        harness.faults("webhook_duplicated", 1.0);
        long before = harness.emulatorSubmissions();
        String generationId = dispatch();
        GenerationCompleted completed = awaitCompleted(generationId);
        await().atMost(TIMEOUT).until(() -> harness.webhookAttempts(completed.falRequestId()).stream()
                .filter(a -> a.path("http_status").asInt() == 200).count() >= 2);
        assertCompletedOnce(generationId);
        assertOneSubmissionAtFal(generationId, before);
    }

    @Test
    void aLateWebhookAfterPollingCompletedTheGenerationChangesNothing() {
        harness.faults("webhook_late", 1.0);
        long before = harness.emulatorSubmissions();
        String generationId = dispatch();
        GenerationCompleted completed = awaitCompleted(generationId);
        await().atMost(TIMEOUT).until(() -> harness.webhookAttempts(completed.falRequestId()).stream()
                .anyMatch(a -> a.path("http_status").asInt() == 200));
        assertCompletedOnce(generationId);
        assertOneSubmissionAtFal(generationId, before);
    }

    @Test
    void aRetryableFailureRedispatchedAsTheNextAttemptIsSubmittedAgain() {
        harness.faults("internal_error", 1.0);
        long before = harness.emulatorSubmissions();
        String generationId = Harness.newGenerationId();
        var input = Harness.validInput(generationId);
        harness.produce(Harness.dispatched(generationId, input));
        GenerationFailed failed = awaitFailed(generationId);
        assertTrue(failed.retryable());
        assertEquals(1, failed.attempt());
        harness.faults(null, 0);

        // The dispatcher's retry: same generation, same input, attempt 2.
        var first = Harness.dispatched(generationId, input);
        harness.produce(new ai.vidgen.events.GenerationDispatched(first.generationId(), first.tenantId(), first.spec(),
                first.input(), 2, first.falPriority()));
        GenerationCompleted completed = awaitCompleted(generationId);
        assertEquals(2, completed.attempt());
        List<GenerationSubmitted> submitted = harness.eventsOf(generationId, GenerationSubmitted.class);
        assertEquals(List.of(1, 2), submitted.stream().map(GenerationSubmitted::attempt).toList());
        assertEquals(before + 2, harness.emulatorSubmissions(), "each attempt is its own submission");
        assertEquals(2L, ((Number) rowCount(generationId)).longValue(), "one intent row per attempt");
    }

    private Object rowCount(String generationId) {
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select count(*) from fal_requests where generation_id = ?")) {
            statement.setString(1, generationId);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void forgedReplayedAndMisdirectedWebhooksAreRejectedAndChangeNothing() throws SQLException {
        // An attempt whose submit reply was lost: the most tempting target, a forged webhook could
        // otherwise attach any request id to it.
        String generationId = Harness.newGenerationId();
        update("""
                insert into fal_requests (generation_id, attempt, tenant_id, endpoint_id, spec_seconds, spec_audio,
                                          spec_voice_control, fal_priority, state)
                values (?, 1, 'tenant-a', ?, 3, false, false, 'normal', 'NEEDS_ATTENTION')""",
                generationId, Harness.ENDPOINT.id());
        Map<String, Object> before = row(generationId);
        String url = publicUrl + "/fal/webhooks/"
                + new WebhookToken(tokenSecret.getBytes(StandardCharsets.UTF_8)).create(generationId, 1);
        String body = "{\"request_id\":\"019e0000-0000-7000-8000-000000000001\",\"gateway_request_id\":"
                + "\"019e0000-0000-7000-8000-000000000001\",\"status\":\"OK\",\"payload\":{}}";
        Map<String, String> headers = new HashMap<>(Map.of(
                "X-Fal-Webhook-Request-Id", "019e0000-0000-7000-8000-000000000001",
                "X-Fal-Webhook-User-Id", "emulator-user",
                "X-Fal-Webhook-Timestamp", Long.toString(Instant.now().getEpochSecond()),
                "X-Fal-Webhook-Signature", "ab".repeat(64)));

        HttpResponse<String> forged = harness.postWebhook(url, headers, body);
        assertEquals(401, forged.statusCode(), forged.body());

        headers.put("X-Fal-Webhook-Timestamp", Long.toString(Instant.now().minusSeconds(3600).getEpochSecond()));
        HttpResponse<String> replayed = harness.postWebhook(url, headers, body);
        assertEquals(401, replayed.statusCode(), replayed.body());
        assertTrue(replayed.body().contains("stale"), replayed.body());

        HttpResponse<String> badToken = harness.postWebhook(url + "x", headers, body);
        assertEquals(401, badToken.statusCode(), badToken.body());

        HttpResponse<String> unsigned = harness.postWebhook(url, Map.of(), body);
        assertEquals(401, unsigned.statusCode(), unsigned.body());

        Map<String, Object> after = row(generationId);
        assertEquals(before, after, "the row did not change");
        assertTrue(harness.eventsOf(generationId).isEmpty(), "no event was published");
    }

    private Map<String, Object> row(String generationId) {
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select * from fal_requests where generation_id = ? order by attempt limit 1")) {
            statement.setString(1, generationId);
            try (ResultSet result = statement.executeQuery()) {
                if (!result.next()) {
                    return Map.of();
                }
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                    row.put(result.getMetaData().getColumnName(i), result.getObject(i));
                }
                return row;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void update(String sql, String... parameters) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }
}
