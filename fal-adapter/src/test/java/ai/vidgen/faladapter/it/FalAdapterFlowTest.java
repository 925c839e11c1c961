package ai.vidgen.faladapter.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationSubmitted;
import ai.vidgen.faladapter.config.FalConfig;
import ai.vidgen.faladapter.tracking.AdapterMetrics;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter against a real broker, a real PostgreSQL and the project's fal emulator (a separate
 * process speaking fal's queue protocol).
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(FalEmulatorResource.class)
class FalAdapterFlowTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static Harness harness;

    @Inject
    AgroalDataSource database;

    @Inject
    AdapterMetrics metrics;

    @Inject
    FalConfig config;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "test.emulator.log")
    String emulatorLog;

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
    void dispatchedIsSubmittedOnceThenCompletesWithAVideo() throws Exception {
        String generationId = Harness.newGenerationId();
        ObjectNode input = Harness.validInput(generationId);
        harness.produce(Harness.dispatched(generationId, input));

        GenerationCompleted completed = await().atMost(TIMEOUT)
                .until(() -> harness.first(generationId, GenerationCompleted.class).orElse(null), c -> c != null);
        GenerationSubmitted submitted = harness.first(generationId, GenerationSubmitted.class).orElseThrow();
        assertEquals(1, submitted.attempt());
        assertEquals("tenant-a", submitted.tenantId());
        assertEquals(submitted.falRequestId(), completed.falRequestId());
        assertEquals(Harness.spec(input), completed.spec());
        assertEquals(1, completed.attempt());
        assertEquals("video/mp4", completed.contentType());
        assertNotNull(completed.videoUrl());
        assertTrue(completed.videoUrl().startsWith(harness.emulatorUrl), completed.videoUrl());
        assertNotNull(completed.fileSize());
        assertTrue(completed.inferenceMillis() != null && completed.inferenceMillis() > 0);
        assertTrue(harness.eventsOf(generationId).indexOf(submitted) < harness.eventsOf(generationId).indexOf(completed),
                "Submitted precedes Completed on the topic");

        HttpResponse<byte[]> video = harness.download(completed.videoUrl());
        assertEquals(200, video.statusCode());
        assertEquals(completed.fileSize().longValue(), video.body().length);

        JsonNode atFal = harness.emulatorRequest(submitted.falRequestId()).orElseThrow();
        assertEquals(1, atFal.path("submissions").asInt(), "fal saw this input exactly once: " + atFal);
        assertEquals("COMPLETED", atFal.path("status").asText());

        await().atMost(TIMEOUT).until(() -> "COMPLETED".equals(row(generationId).get("state")));
        Map<String, Object> row = row(generationId);
        assertEquals(submitted.falRequestId(), row.get("fal_request_id"));
        assertEquals(Boolean.TRUE, row.get("submitted_published"));
        assertEquals(Boolean.TRUE, row.get("terminal_published"));
        assertEquals(completed.videoUrl(), row.get("video_url"));

        // The endpoint id's slashes went out as path separators, with the configured key.
        String log = Files.readString(Path.of(emulatorLog));
        assertTrue(log.contains("POST /" + Harness.ENDPOINT.id()), "raw submit path in the emulator's access log");
        assertFalse(log.contains("%2F"), "no encoded slash reached the emulator");
    }

    @Test
    void aRedeliveredDispatchSubmitsNothingMore() {
        String generationId = Harness.newGenerationId();
        GenerationDispatched dispatched = Harness.dispatched(generationId, Harness.validInput(generationId));
        harness.produce(dispatched);
        GenerationSubmitted submitted = await().atMost(TIMEOUT)
                .until(() -> harness.first(generationId, GenerationSubmitted.class).orElse(null), s -> s != null);

        double redeliveredBefore = redeliveriesRecognised();
        harness.produce(dispatched);
        await().atMost(TIMEOUT).until(() -> redeliveriesRecognised() > redeliveredBefore);

        await().atMost(TIMEOUT).until(() -> harness.first(generationId, GenerationCompleted.class).isPresent());
        assertEquals(1, harness.emulatorRequest(submitted.falRequestId()).orElseThrow().path("submissions").asInt(),
                "the redelivery reached fal");
        assertEquals(1, harness.eventsOf(generationId, GenerationSubmitted.class).size());
        assertEquals(1, count("select count(*) from fal_requests where generation_id = ?", generationId));
    }

    @Test
    void aSubmitWhoseAnswerWasLostIsNeverRepeated() throws SQLException {
        String generationId = Harness.newGenerationId();
        ObjectNode input = Harness.validInput(generationId);
        // What a crash between "intent committed" and "fal answered" leaves behind.
        update("""
                insert into fal_requests (generation_id, attempt, tenant_id, endpoint_id, spec_seconds, spec_audio,
                                          spec_voice_control, fal_priority, state)
                values (?, 1, 'tenant-a', ?, 3, false, false, 'normal', 'SUBMITTING')""",
                generationId, Harness.ENDPOINT.id());
        int atFalBefore = harness.emulatorRequests().size();

        harness.produce(Harness.dispatched(generationId, input));

        await().atMost(TIMEOUT).until(() -> "NEEDS_ATTENTION".equals(row(generationId).get("state")));
        assertEquals("submit_reply_lost", row(generationId).get("error_type"));
        assertEquals(atFalBefore, harness.emulatorRequests().size(), "nothing was submitted");
        assertTrue(harness.eventsOf(generationId, GenerationSubmitted.class).isEmpty());

        asAdmin().get("/fal-requests?state=NEEDS_ATTENTION").then().statusCode(200);
        asAdmin().get("/fal-requests/" + generationId).then()
                .statusCode(200)
                .body("$", hasSize(1))
                .body("[0].state", equalTo("NEEDS_ATTENTION"));
    }

    @Test
    void theOperatorsViewNeedsTheAdminToken() throws SQLException {
        String generationId = Harness.newGenerationId();
        update("""
                insert into fal_requests (generation_id, attempt, tenant_id, endpoint_id, spec_seconds, spec_audio,
                                          spec_voice_control, fal_priority, state, error_type)
                values (?, 1, 'tenant-a', ?, 3, false, false, 'normal', 'NEEDS_ATTENTION', 'submit_reply_lost')""",
                generationId, Harness.ENDPOINT.id());

        for (String path : List.of("/fal-requests?state=NEEDS_ATTENTION&limit=1000", "/fal-requests/" + generationId)) {
            assertUnauthorized(given(), path);
            assertUnauthorized(given().header("Authorization", "Bearer not-the-admin-token"), path);
            assertUnauthorized(given().header("Authorization", "Bearer " + ADMIN_TOKEN + "x"), path);
            assertUnauthorized(given().header("Authorization", "Basic " + ADMIN_TOKEN), path);
        }

        List<String> listed = asAdmin().get("/fal-requests?state=NEEDS_ATTENTION&limit=1000").then()
                .statusCode(200).extract().jsonPath().getList("generationId");
        assertTrue(listed.contains(generationId), listed.toString());
        asAdmin().get("/fal-requests/" + generationId).then()
                .statusCode(200)
                .body("$", hasSize(1))
                .body("[0].state", equalTo("NEEDS_ATTENTION"));
        // Behind the check the view answers as before.
        asAdmin().get("/fal-requests/" + Harness.newGenerationId()).then()
                .statusCode(404).body("type", equalTo("urn:vidgen:problem:not-found"));
        asAdmin().get("/fal-requests?state=NOPE").then().statusCode(400);
    }

    /** 401 problem+json, and nothing of the row (its tenant, its error) in the answer. */
    private static void assertUnauthorized(RequestSpecification request, String path) {
        String body = request.get(path).then()
                .statusCode(401)
                .header("Content-Type", startsWith("application/problem+json"))
                .body("type", equalTo("urn:vidgen:problem:unauthorized"))
                .extract().asString();
        assertFalse(body.contains("tenant-a") || body.contains("submit_reply_lost"), body);
    }

    /** The operators' token of the test profile ({@code %test.vidgen.auth.admin-tokens}). */
    private static final String ADMIN_TOKEN = "test-admin-token";

    private static RequestSpecification asAdmin() {
        return given().header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    @Test
    void pollingResumesFromTheDatabaseAfterARestart() throws SQLException {
        // A request fal holds, known only from our table (as after a restart of the adapter). No
        // URLs are stored, so the adapter must build them by fal's app-id rule.
        String generationId = Harness.newGenerationId();
        ObjectNode input = Harness.validInput(generationId);
        String requestId = harness.submitDirectly(input).path("request_id").asText();
        update("""
                insert into fal_requests (generation_id, attempt, tenant_id, endpoint_id, spec_seconds, spec_audio,
                                          spec_voice_control, fal_priority, state, fal_request_id,
                                          submitted_published, next_poll_at, submitted_at)
                values (?, 2, 'tenant-a', ?, 3, false, false, 'normal', 'IN_QUEUE', ?, true, now(), now())""",
                generationId, Harness.ENDPOINT.id(), requestId);

        GenerationCompleted completed = await().atMost(TIMEOUT)
                .until(() -> harness.first(generationId, GenerationCompleted.class).orElse(null), c -> c != null);
        assertEquals(requestId, completed.falRequestId());
        assertEquals(2, completed.attempt());
        assertEquals(new ai.vidgen.events.GenerationSpec(Harness.ENDPOINT.id(), 3, false, false), completed.spec());
        // The row turns terminal only after the broker acknowledged the event.
        await().atMost(TIMEOUT).until(() -> "COMPLETED".equals(row(generationId).get("state")));
        assertEquals(1, harness.emulatorRequest(requestId).orElseThrow().path("submissions").asInt());
    }

    @Test
    void aValidationErrorFromFalFailsTheAttemptForGood() {
        String generationId = Harness.newGenerationId();
        ObjectNode input = Harness.validInput(generationId);
        input.put("duration", "99");
        int atFalBefore = harness.emulatorRequests().size();
        harness.produce(new GenerationDispatched(generationId, "tenant-a",
                new ai.vidgen.events.GenerationSpec(Harness.ENDPOINT.id(), 5, false, false), input, 1, "low"));

        GenerationFailed failed = await().atMost(TIMEOUT)
                .until(() -> harness.first(generationId, GenerationFailed.class).orElse(null), f -> f != null);
        assertFalse(failed.retryable());
        assertEquals(1, failed.attempt());
        assertNotNull(failed.errorType());
        assertTrue(failed.message().contains("duration"), failed.message());
        assertTrue(harness.eventsOf(generationId, GenerationSubmitted.class).isEmpty());
        assertEquals(atFalBefore, harness.emulatorRequests().size(), "a rejected submit creates no fal request");
        await().atMost(TIMEOUT).until(() -> Boolean.TRUE.equals(row(generationId).get("terminal_published")));
        assertEquals("FAILED", row(generationId).get("state"));
    }

    @Test
    void theGenerationsTraceGoesToFalAndOnItsLaterEvents() {
        String generationId = Harness.newGenerationId();
        String traceId = UUID.randomUUID().toString().replace("-", "");
        // As the dispatcher publishes it: from a span of the generation's trace.
        harness.produce(Harness.dispatched(generationId, Harness.validInput(generationId)),
                "00-" + traceId + "-00f067aa0ba902b7-01");

        GenerationCompleted completed = await().atMost(TIMEOUT)
                .until(() -> harness.first(generationId, GenerationCompleted.class).orElse(null), c -> c != null);
        // Published by the poller, long after the dispatch was consumed: the trace comes from the row.
        assertEquals(traceId, traceIdOf(harness.envelopeOf(generationId, GenerationCompleted.class).orElseThrow()
                .traceparent()));
        assertEquals(traceId, traceIdOf(harness.envelopeOf(generationId, GenerationSubmitted.class).orElseThrow()
                .traceparent()));
        await().atMost(TIMEOUT).until(() -> "COMPLETED".equals(row(generationId).get("state")));
        assertEquals(traceId, traceIdOf((String) row(generationId).get("traceparent")));

        // fal got the trace on the wire (the REST client's traceparent header), on the submit and on
        // the poller's status and result calls.
        JsonNode atFal = harness.emulatorRequest(completed.falRequestId()).orElseThrow();
        assertEquals(traceId, traceIdOf(atFal.path("traceparent").asText(null)), atFal.toString());
        assertEquals(traceId, traceIdOf(atFal.path("traceparents").path("status").asText(null)), atFal.toString());
        assertEquals(traceId, traceIdOf(atFal.path("traceparents").path("result").asText(null)), atFal.toString());
    }

    /** The trace id of a W3C traceparent ({@code 00-<trace id>-<span id>-<flags>}). */
    private static String traceIdOf(String traceparent) {
        assertNotNull(traceparent, "no traceparent");
        String[] parts = traceparent.split("-");
        assertEquals(4, parts.length, traceparent);
        return parts[1];
    }

    @Test
    void theKeyIsNeverShown() {
        assertEquals(FalEmulatorResource.KEY, config.key().get());
        assertFalse(config.toString().contains(FalEmulatorResource.KEY), config.toString());
        assertFalse(config.key().toString().contains(FalEmulatorResource.KEY));
        String metricsText = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertFalse(metricsText.contains("test-key-secret"));
        assertTrue(metricsText.contains("fal_adapter_requests_in_flight"), "in-flight gauge exported");
    }

    /**
     * Redelivered dispatches recognised: by the consumer template, which skips a fact it handled
     * lately, or else by the submitter, which finds the attempt's row.
     */
    private double redeliveriesRecognised() {
        Counter skipped = registry.find("vidgen.events.consumed")
                .tags("consumer", "fal-submit", "outcome", "duplicate", "type", "dispatched").counter();
        return metrics.redeliveredCount() + (skipped == null ? 0 : skipped.count());
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
                Map<String, Object> row = new java.util.HashMap<>();
                for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                    row.put(result.getMetaData().getColumnName(i), result.getObject(i));
                }
                return row;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql, String parameter) {
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
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
