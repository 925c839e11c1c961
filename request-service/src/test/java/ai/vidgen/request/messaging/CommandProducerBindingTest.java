package ai.vidgen.request.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A command producer acts only for the tenants of the key it signs with (the test profile's
 * {@code request.commands.producer-keys}: {@code crm-a-2025} and {@code crm-a-2026} for
 * {@code signed-a}, {@code crm-b} for {@code signed-b}). Records are produced by a plain Kafka
 * producer signing with event-contracts' {@link CommandSignature}, as an upstream Java system would.
 *
 * <p>"Nothing stored or published" is checked behind a sentinel: a valid command sent after the
 * refused one on the same partition. Once the sentinel's {@code GenerationRequested} is on the
 * topic, anything the refused command had stored would have been published before it (one
 * partition, one outbox in order).
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStub.class)
class CommandProducerBindingTest {

    static final String V3_STD_T2V = "fal-ai/kling-video/v3/standard/text-to-video";
    static final String TENANT_A = "signed-a";
    static final String TENANT_B = "signed-b";
    static final Producer A_OLD = new Producer("crm-a-2025", "crm-a-old-secret-0123456789abcdef0123456789");
    static final Producer A_NEW = new Producer("crm-a-2026", "crm-a-new-secret-0123456789abcdef0123456789");
    static final Producer B = new Producer("crm-b", "crm-b-test-secret-0123456789abcdef0123456789");
    static final ObjectMapper JSON = new ObjectMapper();

    record Producer(String keyId, String secret) {
    }

    private static EventLog events;
    private static ConsumerTask<String, String> replies;

    @BeforeAll
    static void open() {
        events = EventLog.open();
        replies = events.companion().consumeStrings().withGroupId("test-replies-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(Topics.GENERATION_REPLIES);
    }

    @AfterAll
    static void close() {
        replies.close();
        events.close();
    }

    @Test
    void aProducerForTenantACannotCreateAGenerationForTenantB() {
        String recordKey = "binding-" + UUID.randomUUID();
        String marker = "for B through A's key " + UUID.randomUUID();
        ProducerRecord<String, String> forB = submit(recordKey, TENANT_B, marker);
        CommandSignature.sign(forB, A_NEW.keyId(), A_NEW.secret());
        send(forB);

        JsonNode reply = awaitReply(correlation(forB));
        assertEquals(GenerationCommandsConsumer.REJECTED, reply.get("type").asText());
        assertEquals("tenant_not_allowed", reply.at("/data/reason").asText());
        assertEquals("tenantid", reply.at("/data/errors/0/attribute").asText());
        assertEquals(header(forB, "ce_id"), reply.at("/data/command_id").asText());

        // The sentinel is B's own producer submitting for B: accepted.
        assertNothingStoredOrPublished(recordKey, TENANT_B, marker);
    }

    @Test
    void aProducerForTenantACannotCancelTenantBsGeneration() {
        String id = given().header("X-Tenant-Id", TENANT_B).contentType(ContentType.JSON)
                .body("{\"endpoint_id\":\"" + V3_STD_T2V + "\",\"input\":{\"prompt\":\"B's, not to be cancelled by A\"}}")
                .post("/v1/generations").then().statusCode(202).extract().path("id");
        String recordKey = "cancel-" + UUID.randomUUID();

        // Naming B as the tenant: A's key may not act for B.
        ProducerRecord<String, String> asB = CommandSignature.sign(cancel(recordKey, TENANT_B, id), A_NEW.keyId(), A_NEW.secret());
        send(asB);
        assertEquals("tenant_not_allowed", awaitReply(correlation(asB)).at("/data/reason").asText());
        // Naming its own tenant: B's generation is not A's.
        ProducerRecord<String, String> asA = CommandSignature.sign(cancel(recordKey, TENANT_A, id), A_NEW.keyId(), A_NEW.secret());
        send(asA);
        JsonNode notFound = awaitReply(correlation(asA));
        assertEquals(GenerationCommandsConsumer.REJECTED, notFound.get("type").asText());
        assertEquals("not_found", notFound.at("/data/reason").asText());

        given().header("X-Tenant-Id", TENANT_B).get("/v1/generations/{id}", id).then().statusCode(200)
                .body("cancel_requested_at", nullValue());
        // B's producer cancels it: the one cancel request on the topic is B's.
        ProducerRecord<String, String> byB = CommandSignature.sign(cancel(recordKey, TENANT_B, id), B.keyId(), B.secret());
        send(byB);
        assertEquals(GenerationCommandsConsumer.ACCEPTED, awaitReply(correlation(byB)).get("type").asText());
        events.await(id, "ai.vidgen.generation.cancel-requested");
        assertEquals(1, events.records(id).stream()
                .filter(r -> r.value().contains("\"ai.vidgen.generation.cancel-requested\"")).count());
    }

    @Test
    void unsignedTamperedAndUnknownKeysAreRejectedAndNothingIsStored() {
        String recordKey = "tamper-" + UUID.randomUUID();
        String marker = "refused " + UUID.randomUUID();

        ProducerRecord<String, String> unsigned = submit(recordKey, TENANT_A, marker);
        send(unsigned);
        assertRejected(unsigned, "unsigned", CommandSignature.SIGNATURE_HEADER);

        // Signed, then its data changed on the way.
        ProducerRecord<String, String> signed = CommandSignature.sign(submit(recordKey, TENANT_A, marker), A_NEW.keyId(), A_NEW.secret());
        ProducerRecord<String, String> tamperedValue = new ProducerRecord<>(Topics.GENERATION_COMMANDS, null, recordKey,
                signed.value().replace("duration\":\"5", "duration\":\"15"), copy(signed.headers()));
        send(tamperedValue);
        assertRejected(tamperedValue, "bad_signature", CommandSignature.SIGNATURE_HEADER);

        // B's command re-addressed to A: the tenant header is signed too.
        ProducerRecord<String, String> byB = CommandSignature.sign(submit(recordKey, TENANT_B, marker), B.keyId(), B.secret());
        RecordHeaders readdressed = copy(byB.headers());
        readdressed.remove("ce_tenantid");
        readdressed.add("ce_tenantid", TENANT_A.getBytes(StandardCharsets.UTF_8));
        ProducerRecord<String, String> tamperedTenant = new ProducerRecord<>(Topics.GENERATION_COMMANDS, null, recordKey,
                byB.value(), readdressed);
        send(tamperedTenant);
        assertRejected(tamperedTenant, "bad_signature", CommandSignature.SIGNATURE_HEADER);

        // A's key id with another secret, and a key nobody configured.
        ProducerRecord<String, String> wrongSecret = CommandSignature.sign(submit(recordKey, TENANT_A, marker), A_NEW.keyId(),
                "not-the-secret-of-crm-a-2026-0123456789");
        send(wrongSecret);
        assertRejected(wrongSecret, "bad_signature", CommandSignature.SIGNATURE_HEADER);
        ProducerRecord<String, String> unknown = CommandSignature.sign(submit(recordKey, TENANT_A, marker), "crm-x",
                A_NEW.secret());
        send(unknown);
        assertRejected(unknown, "unknown_key", CommandSignature.KEY_ID_HEADER);

        assertNothingStoredOrPublished(recordKey, TENANT_A, marker);
        assertNothingStoredOrPublished(recordKey, TENANT_B, marker);
    }

    @Test
    void bothKeysOfARotationAreAcceptedForTheirTenant() {
        String recordKey = "rotation-" + UUID.randomUUID();
        for (Producer key : List.of(A_OLD, A_NEW)) {
            ProducerRecord<String, String> record = CommandSignature.sign(submit(recordKey, TENANT_A, "signed with " + key.keyId()),
                    key.keyId(), key.secret());
            send(record);
            JsonNode reply = awaitReply(correlation(record));
            assertEquals(GenerationCommandsConsumer.ACCEPTED, reply.get("type").asText(), reply.toString());
            assertFalse(reply.at("/data/replayed").asBoolean());
            String id = reply.at("/data/generation_id").asText();
            given().header("X-Tenant-Id", TENANT_A).get("/v1/generations/{id}", id).then().statusCode(200)
                    .body("input.prompt", equalTo("signed with " + key.keyId()));
        }
    }

    private void assertRejected(ProducerRecord<String, String> record, String reason, String header) {
        JsonNode reply = awaitReply(correlation(record));
        assertEquals(GenerationCommandsConsumer.REJECTED, reply.get("type").asText(), reply.toString());
        assertEquals(reason, reply.at("/data/reason").asText(), reply.toString());
        assertEquals(header, reply.at("/data/errors/0/header").asText(), reply.toString());
        assertEquals(correlation(record), reply.get("correlationid").asText());
    }

    /** A valid command behind the refused ones on their partition, then: no trace of {@code marker}. */
    private void assertNothingStoredOrPublished(String recordKey, String tenant, String marker) {
        Producer producer = TENANT_A.equals(tenant) ? A_NEW : B;
        ProducerRecord<String, String> sentinel = CommandSignature.sign(submit(recordKey, tenant, "sentinel"),
                producer.keyId(), producer.secret());
        send(sentinel);
        JsonNode accepted = awaitReply(correlation(sentinel));
        assertEquals(GenerationCommandsConsumer.ACCEPTED, accepted.get("type").asText(), accepted.toString());
        events.await(accepted.at("/data/generation_id").asText(), "ai.vidgen.generation.requested");

        assertFalse(events.all().stream().anyMatch(r -> r.value().contains(marker)), "published: " + marker);
        given().header("X-Tenant-Id", tenant).queryParam("limit", 100).get("/v1/generations").then().statusCode(200)
                .body("data.input.prompt", not(hasItem(marker)));
    }

    /** A binary-mode submit of a 5 s generation with {@code prompt}, correlated by a fresh id. */
    private static ProducerRecord<String, String> submit(String recordKey, String tenant, String prompt) {
        RecordHeaders headers = ceHeaders("ai.vidgen.command.generation.submit", tenant);
        headers.add("content-type", bytes("application/json"));
        String body = "{\"endpoint_id\":\"" + V3_STD_T2V + "\",\"input\":{\"prompt\":\"" + prompt + "\",\"duration\":\"5\"}}";
        return new ProducerRecord<>(Topics.GENERATION_COMMANDS, null, recordKey, body, headers);
    }

    private static ProducerRecord<String, String> cancel(String recordKey, String tenant, String generationId) {
        return new ProducerRecord<>(Topics.GENERATION_COMMANDS, null, recordKey,
                "{\"generation_id\":\"" + generationId + "\"}", ceHeaders("ai.vidgen.command.generation.cancel", tenant));
    }

    private static RecordHeaders ceHeaders(String type, String tenant) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0"));
        headers.add("ce_id", bytes(UUID.randomUUID().toString()));
        headers.add("ce_source", bytes("/upstream/crm"));
        headers.add("ce_type", bytes(type));
        headers.add("ce_tenantid", bytes(tenant));
        headers.add("ce_correlationid", bytes("corr-" + UUID.randomUUID()));
        return headers;
    }

    private static RecordHeaders copy(org.apache.kafka.common.header.Headers headers) {
        RecordHeaders out = new RecordHeaders();
        headers.forEach(out::add);
        return out;
    }

    private static void send(ProducerRecord<String, String> record) {
        events.publishRaw(List.of(record));
    }

    private static String correlation(ProducerRecord<String, String> record) {
        return header(record, "ce_correlationid");
    }

    private static String header(ProducerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private JsonNode awaitReply(String correlationId) {
        ConsumerRecord<String, String> reply = Awaitility.await().atMost(EventLog.WAIT)
                .until(() -> replies.stream().filter(r -> correlationId.equals(r.key())).findFirst(),
                        java.util.Optional::isPresent).orElseThrow();
        try {
            return JSON.readTree(reply.value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
