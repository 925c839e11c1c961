package ai.vidgen.events.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.vidgen.events.Topics;
import ai.vidgen.events.commands.CommandSignature.UnsignableRecordException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class CommandSignatureTest {

    static final String SECRET = "example-secret-0123456789abcdef0123";
    static final String VALUE = "{\"endpoint_id\":\"fal-ai/kling-video/v3/standard/text-to-video\",\"input\":{\"prompt\":\"A fox\"}}";

    /**
     * The worked example of docs/kafka-commands.md, whose signature was computed with
     * {@code openssl dgst -sha256 -hmac} from the shell recipe there: the helper and the documented
     * algorithm agree, headers in any order.
     */
    @Test
    void signsTheDocumentedExampleAsOpensslDoes() {
        ProducerRecord<String, String> record = binarySubmit();

        CommandSignature.sign(record, "crm-2026", SECRET);

        assertEquals("crm-2026", header(record, CommandSignature.KEY_ID_HEADER));
        assertEquals("4addaf1b35f02ac67a0cbcf33bdc54dcaf2c083c9ef90392b714d877b70c07f5",
                header(record, CommandSignature.SIGNATURE_HEADER));
    }

    @Test
    void theSignedTextIsTheKeyTheSortedCloudEventHeadersAndTheValue() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_type", bytes("t"));
        headers.add("traceparent", bytes("not covered"));
        headers.add("content-type", bytes("application/json"));
        headers.add("ce_ID", bytes("uppercase: not covered"));
        headers.add("ce_id", bytes("1"));

        String text = new String(CommandSignature.signingInput(bytes("k"), headers, bytes("v")), StandardCharsets.UTF_8);

        assertEquals("vidgen-command-v1\nk\nce_id:1\nce_type:t\ncontent-type:application/json\n\nv", text);
        assertEquals("vidgen-command-v1\n\n\n", new String(CommandSignature.signingInput(null, null, null),
                StandardCharsets.UTF_8));
    }

    @Test
    void everyCoveredPartChangesTheSignature() {
        String original = signatureOf(binarySubmit());

        ProducerRecord<String, String> otherTenant = binarySubmit();
        otherTenant.headers().remove("ce_tenantid").add("ce_tenantid", bytes("globex"));
        ProducerRecord<String, String> otherValue = new ProducerRecord<>(Topics.GENERATION_COMMANDS, null, "order-42",
                VALUE.replace("A fox", "A cat"), binarySubmit().headers());
        ProducerRecord<String, String> otherKey = new ProducerRecord<>(Topics.GENERATION_COMMANDS, null, "order-43",
                VALUE, binarySubmit().headers());
        ProducerRecord<String, String> addedHeader = binarySubmit();
        addedHeader.headers().add("ce_tenantid", bytes("globex"));

        for (ProducerRecord<String, String> changed : java.util.List.of(otherTenant, otherValue, otherKey, addedHeader)) {
            assertNotEquals(original, signatureOf(changed));
        }
        ProducerRecord<String, String> uncovered = binarySubmit();
        uncovered.headers().add("traceparent", bytes("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        assertEquals(original, signatureOf(uncovered));
    }

    @Test
    void signingAgainReplacesTheEarlierSignature() {
        ProducerRecord<String, String> record = binarySubmit();
        CommandSignature.sign(record, "old", "another-secret-0123456789abcdef0123");
        CommandSignature.sign(record, "crm-2026", SECRET);
        assertEquals("4addaf1b35f02ac67a0cbcf33bdc54dcaf2c083c9ef90392b714d877b70c07f5",
                header(record, CommandSignature.SIGNATURE_HEADER));
        int signatures = 0;
        for (var h : record.headers().headers(CommandSignature.SIGNATURE_HEADER)) {
            signatures++;
        }
        assertEquals(1, signatures);
    }

    @Test
    void aLineBreakInTheKeyOrACoveredHeaderCannotBeSigned() {
        assertThrows(UnsignableRecordException.class, () -> CommandSignature.sign(
                new ProducerRecord<>(Topics.GENERATION_COMMANDS, "a\nce_tenantid:acme", VALUE), "k", SECRET));
        ProducerRecord<String, String> header = binarySubmit();
        header.headers().add("ce_source", bytes("/crm\r\nce_tenantid:acme"));
        assertThrows(UnsignableRecordException.class, () -> CommandSignature.sign(header, "k", SECRET));
        assertNull(header.headers().lastHeader(CommandSignature.SIGNATURE_HEADER));
    }

    /** Headers deliberately out of order: the signature sorts them. */
    private static ProducerRecord<String, String> binarySubmit() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", bytes("application/json"));
        headers.add("ce_type", bytes("ai.vidgen.command.generation.submit"));
        headers.add("ce_tenantid", bytes("acme"));
        headers.add("ce_specversion", bytes("1.0"));
        headers.add("ce_source", bytes("/crm"));
        headers.add("ce_id", bytes("cmd-1"));
        return new ProducerRecord<>(Topics.GENERATION_COMMANDS, null, "order-42", VALUE, headers);
    }

    private static String signatureOf(ProducerRecord<String, String> record) {
        return header(CommandSignature.sign(record, "crm-2026", SECRET), CommandSignature.SIGNATURE_HEADER);
    }

    private static String header(ProducerRecord<String, String> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
