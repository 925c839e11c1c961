package ai.vidgen.request.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.Topics;
import ai.vidgen.events.commands.CommandSignature;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The producer keys' configuration and the verifier, without a broker. */
class CommandSignatureVerifierTest {

    static final String SECRET = "a-secret-of-more-than-32-characters-0123";

    @Test
    void withNoKeysConfiguredEveryCommandIsRefusedEvenAWellSignedOne() {
        CommandSignatureVerifier verifier = new CommandSignatureVerifier(new ProducerKeys(List.of()));
        ProducerRecord<String, String> record = CommandSignature.sign(submit("acme"), "crm", SECRET);

        CommandProducer producer = verifier.verify(record.key(), record.value(), record.headers());

        CommandProducer.Unverified refused = assertInstanceOf(CommandProducer.Unverified.class, producer);
        assertEquals(CommandSignatureVerifier.UNKNOWN_KEY, refused.reason());
    }

    @Test
    void aSignedRecordVerifiesToItsKeysTenants() {
        CommandSignatureVerifier verifier = new CommandSignatureVerifier(
                new ProducerKeys(List.of("crm:" + SECRET + ":acme| globex ", " ", "erp:" + SECRET + "x:initech")));
        ProducerRecord<String, String> record = CommandSignature.sign(submit("acme"), "crm", SECRET);

        CommandProducer.Verified producer = assertInstanceOf(CommandProducer.Verified.class,
                verifier.verify(record.key(), record.value(), record.headers()));

        assertEquals("crm", producer.keyId());
        assertEquals(Set.of("acme", "globex"), producer.tenants());
        assertTrue(producer.mayActFor("globex"));
        assertFalse(producer.mayActFor("initech"));
        // The same record verified with the other key's secret does not.
        ProducerRecord<String, String> asErp = CommandSignature.sign(submit("acme"), "erp", SECRET);
        assertEquals(CommandSignatureVerifier.BAD_SIGNATURE, assertInstanceOf(CommandProducer.Unverified.class,
                verifier.verify(asErp.key(), asErp.value(), asErp.headers())).reason());
    }

    @Test
    void aMalformedSignatureIsBadNotAnError() {
        CommandSignatureVerifier verifier = new CommandSignatureVerifier(new ProducerKeys(List.of("crm:" + SECRET + ":acme")));
        ProducerRecord<String, String> record = submit("acme");
        record.headers().add(CommandSignature.KEY_ID_HEADER, bytes("crm"));
        record.headers().add(CommandSignature.SIGNATURE_HEADER, bytes("zz"));
        assertEquals(CommandSignatureVerifier.BAD_SIGNATURE, ((CommandProducer.Unverified) verifier.verify(
                record.key(), record.value(), record.headers())).reason());
        record.headers().add("ce_source", bytes("/crm\nce_tenantid:globex"));
        record.headers().add(CommandSignature.SIGNATURE_HEADER, bytes("0".repeat(64)));
        assertEquals(CommandSignatureVerifier.BAD_SIGNATURE, ((CommandProducer.Unverified) verifier.verify(
                record.key(), record.value(), record.headers())).reason());
    }

    /** Configuration mistakes stop the service, naming the entry, never the secret. */
    @Test
    void malformedEntriesAreRefusedWithoutShowingTheSecret() {
        for (String entry : List.of(SECRET, "crm:" + SECRET, "crm:short:acme", "crm:" + SECRET + ":", "crm:" + SECRET
                + ":acme|bad tenant", "c r m:" + SECRET + ":acme", "crm:" + SECRET + ":acme:extra")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ProducerKeys(List.of(entry)),
                    entry);
            assertTrue(e.getMessage().startsWith("request.commands.producer-keys, entry 1"), e.getMessage());
            assertFalse(e.getMessage().contains(SECRET), e.getMessage());
            assertFalse(e.getMessage().contains("short"), e.getMessage());
        }
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> new ProducerKeys(List.of("crm:" + SECRET + ":acme", "crm:" + SECRET + "2:acme")));
        assertTrue(twice.getMessage().contains("entry 2 (key id 'crm')"), twice.getMessage());
    }

    private static ProducerRecord<String, String> submit(String tenant) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0"));
        headers.add("ce_id", bytes("cmd-1"));
        headers.add("ce_source", bytes("/crm"));
        headers.add("ce_type", bytes("ai.vidgen.command.generation.submit"));
        headers.add("ce_tenantid", bytes(tenant));
        return new ProducerRecord<>(Topics.GENERATION_COMMANDS, null, "order-1", "{\"endpoint_id\":\"x\"}", headers);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
