package ai.vidgen.request.messaging;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.Topics;
import ai.vidgen.events.commands.CommandSignature;
import ai.vidgen.request.support.BillingStub;
import ai.vidgen.request.support.EventLog;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka ingest proven with a non-Java producer: every command is produced by kcat (librdkafka),
 * in structured and binary CloudEvents mode, and the answers are read from
 * {@code generation-replies} and {@code generation-dead-letters}. Commands are signed with the
 * tests' producer key {@code kcat} (its tenants are the {@code kcat-*} ones of the test profile);
 * the signature is computed here and handed to kcat as headers, as any non-Java producer would.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStub.class)
class KcatCommandIngestTest {

    static final String KCAT = "/usr/bin/kcat";
    static final String V3_STD_T2V = "fal-ai/kling-video/v3/standard/text-to-video";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    /** The test profile's producer key {@code kcat} (request.commands.producer-keys). */
    static final String KEY_ID = "kcat";
    static final String SECRET = "kcat-test-secret-0123456789abcdef0123456789";

    private static KafkaCompanion companion;
    private static ConsumerTask<String, String> replies;
    private static ConsumerTask<String, String> deadLetters;
    private static EventLog events;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @BeforeAll
    static void open() {
        events = EventLog.open();
        companion = events.companion();
        replies = companion.consumeStrings().withGroupId("test-replies-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(Topics.GENERATION_REPLIES);
        deadLetters = companion.consumeStrings().withGroupId("test-dlq-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(Topics.DEAD_LETTERS);
    }

    @AfterAll
    static void close() {
        replies.close();
        deadLetters.close();
        events.close();
    }

    @Test
    void structuredSubmitIsAcceptedAndVisibleOverHttp() throws Exception {
        String tenant = "kcat-structured";
        String correlation = "corr-" + UUID.randomUUID();
        String event = """
                {"specversion":"1.0","id":"%s","source":"/upstream/crm","type":"ai.vidgen.command.generation.submit",
                 "datacontenttype":"application/json","correlationid":"%s","tenantid":"%s","traceparent":"%s",
                 "data":{"endpoint_id":"%s","input":{"prompt":"A fox in the snow","duration":"5"},"metadata":{"via":"kcat"}}}
                """.formatted(UUID.randomUUID(), correlation, tenant, "00-" + TRACE_ID + "-00f067aa0ba902b7-01",
                V3_STD_T2V).replace("\n", "");
        kcat("record-key-ignored", List.of("content-type=application/cloudevents+json"), event);

        JsonNode reply = awaitReply(correlation);
        assertEquals(GenerationCommandsConsumer.ACCEPTED, reply.get("type").asText());
        assertEquals("/vidgen/request-service", reply.get("source").asText());
        assertEquals(correlation, reply.get("correlationid").asText());
        String id = reply.at("/data/generation_id").asText();
        assertEquals("accepted", reply.at("/data/status").asText());
        assertEquals(id, reply.get("subject").asText());

        given().header("X-Tenant-Id", tenant).get("/v1/generations/{id}", id).then().statusCode(200);
        // Scoped by tenant: another tenant does not see it.
        given().header("X-Tenant-Id", "t-" + UUID.randomUUID()).get("/v1/generations/{id}", id).then().statusCode(404);
        // The generation continues the producer's trace (the command's traceparent extension).
        String traceparent = events.decode(events.await(id, "ai.vidgen.generation.requested")).envelope().traceparent();
        assertNotNull(traceparent);
        assertEquals(TRACE_ID, traceparent.split("-")[1]);
    }

    @Test
    void binarySubmitIsIdempotentOnTheEventIdAndTheKeyRepliesWithoutCorrelationId() throws Exception {
        String tenant = "kcat-binary";
        String key = "key-" + UUID.randomUUID();
        String eventId = UUID.randomUUID().toString();
        List<String> headers = List.of("ce_specversion=1.0", "ce_id=" + eventId, "ce_source=/upstream/batch",
                "ce_type=ai.vidgen.command.generation.submit", "ce_tenantid=" + tenant,
                "content-type=application/json");
        String body = "{\"endpoint_id\":\"" + V3_STD_T2V + "\",\"input\":{\"prompt\":\"A binary fox\"}}";
        kcat(key, headers, body);
        // No correlationid: the reply is keyed by the record key.
        JsonNode first = awaitReply(key);
        assertEquals(GenerationCommandsConsumer.ACCEPTED, first.get("type").asText());
        assertFalse(first.at("/data/replayed").asBoolean());
        String id = first.at("/data/generation_id").asText();

        // A redelivery of the same event (same id): the same generation, marked replayed.
        kcat(key, headers, body);
        JsonNode second = Awaitility.await().atMost(EventLog.WAIT).until(() -> repliesFor(key), r -> r.size() >= 2).get(1);
        assertEquals(id, second.at("/data/generation_id").asText());
        assertTrue(second.at("/data/replayed").asBoolean());

        // The same event id with a different request: refused, like a 409 over HTTP.
        kcat(key, headers, body.replace("A binary fox", "Another fox"));
        JsonNode third = Awaitility.await().atMost(EventLog.WAIT).until(() -> repliesFor(key), r -> r.size() >= 3).get(2);
        assertEquals(GenerationCommandsConsumer.REJECTED, third.get("type").asText());
        assertEquals("idempotency_key_reused", third.at("/data/reason").asText());

        // An explicit idempotencykey extension takes precedence over the event id and is shared with HTTP.
        String httpKey = "http-" + UUID.randomUUID();
        String httpId = given().header("X-Tenant-Id", tenant).header("Idempotency-Key", httpKey)
                .contentType(ContentType.JSON).body(body).post("/v1/generations").then().statusCode(202)
                .extract().path("id");
        String corr = "corr-" + UUID.randomUUID();
        kcat(key, List.of("ce_specversion=1.0", "ce_id=" + UUID.randomUUID(), "ce_source=/upstream/batch",
                "ce_type=ai.vidgen.command.generation.submit", "ce_tenantid=" + tenant,
                "ce_idempotencykey=" + httpKey, "ce_correlationid=" + corr), body);
        JsonNode viaKey = awaitReply(corr);
        assertEquals(httpId, viaKey.at("/data/generation_id").asText());
        assertTrue(viaKey.at("/data/replayed").asBoolean());
    }

    @Test
    void invalidSubmitIsRejectedWithTheSameFieldErrorsAsHttp() throws Exception {
        String tenant = "kcat-invalid";
        String correlation = "corr-" + UUID.randomUUID();
        String body = "{\"endpoint_id\":\"" + V3_STD_T2V + "\",\"input\":{\"duration\":\"17\",\"aspect_ratio\":\"4:3\","
                + "\"cfg_scale\":2}}";
        kcat(correlation, List.of("ce_specversion=1.0", "ce_id=" + UUID.randomUUID(), "ce_source=/upstream/crm",
                "ce_type=ai.vidgen.command.generation.submit", "ce_tenantid=" + tenant,
                "ce_correlationid=" + correlation), body);
        JsonNode reply = awaitReply(correlation);
        assertEquals(GenerationCommandsConsumer.REJECTED, reply.get("type").asText());
        assertEquals("invalid_request", reply.at("/data/reason").asText());

        JsonNode http = JSON.readTree(given().header("X-Tenant-Id", tenant).contentType(ContentType.JSON).body(body)
                .post("/v1/generations").then().statusCode(422).extract().asString());
        assertEquals(http.get("errors"), reply.at("/data/errors"));
        assertTrue(reply.at("/data/errors").size() >= 3, reply.toString());
        // Nothing was stored for the tenant.
        given().header("X-Tenant-Id", tenant).get("/v1/generations").then().statusCode(200)
                .body("data.size()", org.hamcrest.Matchers.equalTo(0));

        // Missing tenant and unknown type are answered too, not dead-lettered.
        String noTenant = "corr-" + UUID.randomUUID();
        kcat(noTenant, List.of("ce_specversion=1.0", "ce_id=" + UUID.randomUUID(), "ce_source=/upstream/crm",
                "ce_type=ai.vidgen.command.generation.submit"), body);
        assertEquals("tenantid", awaitReply(noTenant).at("/data/errors/0/attribute").asText());
        String unknownType = "corr-" + UUID.randomUUID();
        kcat(unknownType, List.of("ce_specversion=1.0", "ce_id=" + UUID.randomUUID(), "ce_source=/upstream/crm",
                "ce_type=com.example.other", "ce_tenantid=" + tenant), body);
        assertEquals("unsupported_type", awaitReply(unknownType).at("/data/reason").asText());

        // Unsigned, the same valid command is refused before anything is read: Kafka alone proves no producer.
        String unsigned = "corr-" + UUID.randomUUID();
        produce(unsigned, List.of("ce_specversion=1.0", "ce_id=" + UUID.randomUUID(), "ce_source=/upstream/crm",
                "ce_type=ai.vidgen.command.generation.submit", "ce_tenantid=" + tenant, "ce_correlationid=" + unsigned),
                "{\"endpoint_id\":\"" + V3_STD_T2V + "\",\"input\":{\"prompt\":\"unsigned\"}}");
        JsonNode refused = awaitReply(unsigned);
        assertEquals(GenerationCommandsConsumer.REJECTED, refused.get("type").asText());
        assertEquals("unsigned", refused.at("/data/reason").asText());
        given().header("X-Tenant-Id", tenant).get("/v1/generations").then().statusCode(200)
                .body("data.size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void cancelIsPublishedAsACancelRequestAndAnswered() throws Exception {
        String tenant = "kcat-cancel";
        String missing = "corr-" + UUID.randomUUID();
        kcat(missing, List.of("ce_specversion=1.0", "ce_id=" + UUID.randomUUID(), "ce_source=/upstream/crm",
                "ce_type=ai.vidgen.command.generation.cancel", "ce_tenantid=" + tenant),
                "{\"generation_id\":\"" + UUID.randomUUID() + "\"}");
        assertEquals("not_found", awaitReply(missing).at("/data/reason").asText());

        String id = given().header("X-Tenant-Id", tenant).contentType(ContentType.JSON)
                .body("{\"endpoint_id\":\"" + V3_STD_T2V + "\",\"input\":{\"prompt\":\"to cancel\"}}")
                .post("/v1/generations").then().statusCode(202).extract().path("id");
        // Another tenant's producer may not cancel it: its key does not act for this tenant, and a
        // tenant it does act for has no such generation.
        String otherTenant = "corr-" + UUID.randomUUID();
        kcat(otherTenant, List.of("ce_specversion=1.0", "ce_id=" + UUID.randomUUID(), "ce_source=/upstream/crm",
                "ce_type=ai.vidgen.command.generation.cancel", "ce_tenantid=kcat-structured"),
                "{\"generation_id\":\"" + id + "\"}");
        assertEquals("not_found", awaitReply(otherTenant).at("/data/reason").asText());
        String own = "corr-" + UUID.randomUUID();
        kcat(own, List.of("ce_specversion=1.0", "ce_id=" + UUID.randomUUID(), "ce_source=/upstream/crm",
                "ce_type=ai.vidgen.command.generation.cancel", "ce_tenantid=" + tenant),
                "{\"generation_id\":\"" + id + "\"}");
        JsonNode accepted = awaitReply(own);
        assertEquals(GenerationCommandsConsumer.ACCEPTED, accepted.get("type").asText(), accepted.toString());
        assertEquals(id, accepted.at("/data/generation_id").asText());
        // The request goes out through the outbox as GenerationCancelRequested, with the command's reason.
        ai.vidgen.events.GenerationCancelRequested requested = (ai.vidgen.events.GenerationCancelRequested) events
                .decode(events.await(id, "ai.vidgen.generation.cancel-requested")).data();
        assertEquals(tenant, requested.tenantId());
        assertEquals("requested by /upstream/crm", requested.reason());

        // Once the generation has ended, a cancel is rejected as not cancellable.
        events.publish(new ai.vidgen.events.GenerationCancelled(id, tenant, "cancelled", true));
        org.awaitility.Awaitility.await().atMost(EventLog.WAIT).untilAsserted(() -> given()
                .header("X-Tenant-Id", tenant).get("/v1/generations/{id}", id).then()
                .body("status", org.hamcrest.Matchers.equalTo("cancelled")));
        String late = "corr-" + UUID.randomUUID();
        kcat(late, List.of("ce_specversion=1.0", "ce_id=" + UUID.randomUUID(), "ce_source=/upstream/crm",
                "ce_type=ai.vidgen.command.generation.cancel", "ce_tenantid=" + tenant),
                "{\"generation_id\":\"" + id + "\"}");
        assertEquals("not_cancellable", awaitReply(late).at("/data/reason").asText());
    }

    @Test
    void garbageIsDeadLetteredWithTheReasonAndTheNextRecordIsStillProcessed() throws Exception {
        String tenant = "kcat-garbage";
        String key = "garbage-" + UUID.randomUUID();
        String correlation = "corr-" + UUID.randomUUID();
        String valid = """
                {"specversion":"1.0","id":"%s","source":"/upstream/crm","type":"ai.vidgen.command.generation.submit",
                 "correlationid":"%s","tenantid":"%s","data":{"endpoint_id":"%s","input":{"prompt":"after garbage"}}}
                """.formatted(UUID.randomUUID(), correlation, tenant, V3_STD_T2V).replace("\n", "");
        // Same key, so the same partition: the garbage first, then a valid command behind it.
        kcat(key, List.of("content-type=application/cloudevents+json"), "{this is not json");
        kcat(key, List.of("content-type=application/cloudevents+json"), valid);

        ConsumerRecord<String, String> dead = Awaitility.await().atMost(EventLog.WAIT)
                .until(() -> deadLetters.stream().filter(r -> key.equals(r.key())).findFirst(), Optional::isPresent)
                .orElseThrow();
        assertEquals("{this is not json", dead.value());
        String reason = header(dead, "dead-letter-reason");
        assertNotNull(reason);
        assertTrue(reason.contains("not JSON"), reason);
        assertEquals(Topics.GENERATION_COMMANDS, header(dead, "dead-letter-topic"));

        assertEquals(GenerationCommandsConsumer.ACCEPTED, awaitReply(correlation).get("type").asText());

        // A record that is no CloudEvent at all (no content-type, no ce_ headers) is dead-lettered too.
        String plain = "plain-" + UUID.randomUUID();
        produce(plain, List.of(), "hello");
        ConsumerRecord<String, String> second = Awaitility.await().atMost(EventLog.WAIT)
                .until(() -> deadLetters.stream().filter(r -> plain.equals(r.key())).findFirst(), Optional::isPresent)
                .orElseThrow();
        assertTrue(header(second, "dead-letter-reason").contains("neither a structured CloudEvent"));
    }

    private List<JsonNode> repliesFor(String key) {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : replies.stream().filter(r -> key.equals(r.key())).toList()) {
            assertEquals("application/cloudevents+json", header(r, "content-type"));
            try {
                out.add(JSON.readTree(r.value()));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    private JsonNode awaitReply(String key) {
        return Awaitility.await().atMost(EventLog.WAIT).until(() -> repliesFor(key), r -> !r.isEmpty()).get(0);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * Produces one record with kcat: {@code key}, {@code headers} ({@code name=value}) and
     * {@code value}, signed with the producer key {@code kcat}.
     */
    private void kcat(String key, List<String> headers, String value) throws Exception {
        RecordHeaders signed = new RecordHeaders();
        for (String h : headers) {
            int eq = h.indexOf('=');
            signed.add(h.substring(0, eq), h.substring(eq + 1).getBytes(StandardCharsets.UTF_8));
        }
        String signature = CommandSignature.signature(SECRET, key.getBytes(StandardCharsets.UTF_8), signed,
                value.getBytes(StandardCharsets.UTF_8));
        List<String> withSignature = new ArrayList<>(headers);
        withSignature.add(CommandSignature.KEY_ID_HEADER + "=" + KEY_ID);
        withSignature.add(CommandSignature.SIGNATURE_HEADER + "=" + signature);
        produce(key, withSignature, value);
    }

    /** Produces one record per line of {@code values} with kcat, all with {@code key} and {@code headers}. */
    private void produce(String key, List<String> headers, String values) throws Exception {
        List<String> command = new ArrayList<>(List.of(KCAT, "-P", "-b", bootstrap, "-t", Topics.GENERATION_COMMANDS,
                "-k", key, "-X", "message.timeout.ms=20000"));
        for (String h : headers) {
            command.add("-H");
            command.add(h);
        }
        File log = File.createTempFile("kcat", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        try (var in = process.getOutputStream()) {
            in.write((values + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "kcat did not finish");
        assertEquals(0, process.exitValue(), () -> "kcat failed: " + readQuietly(log));
    }

    private static String readQuietly(File f) {
        try {
            return java.nio.file.Files.readString(f.toPath());
        } catch (Exception e) {
            return e.toString();
        }
    }
}
