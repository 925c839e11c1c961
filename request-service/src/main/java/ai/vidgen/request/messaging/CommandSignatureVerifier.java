package ai.vidgen.request.messaging;

import ai.vidgen.events.commands.CommandSignature;
import ai.vidgen.events.commands.CommandSignature.UnsignableRecordException;
import ai.vidgen.request.messaging.ProducerKeys.ProducerKey;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Headers;

/**
 * Binds a command record to its producer: Kafka says nothing about who produced a record, so the
 * producer signs it ({@link CommandSignature}) with a key configured here, and the key decides the
 * tenants the command may act for. Fails closed: no keys configured, every record is unverified.
 */
@ApplicationScoped
public class CommandSignatureVerifier {

    public static final String UNSIGNED = "unsigned";
    public static final String UNKNOWN_KEY = "unknown_key";
    public static final String BAD_SIGNATURE = "bad_signature";

    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private final ProducerKeys keys;

    public CommandSignatureVerifier(ProducerKeys keys) {
        this.keys = keys;
    }

    /**
     * Checks the record's signature. The key and value are the record's as the consumer read them
     * (UTF-8 strings); a producer's bytes that are not UTF-8 therefore do not verify.
     */
    public CommandProducer verify(String recordKey, String value, Headers headers) {
        String keyId = CommandDecoder.header(headers, CommandSignature.KEY_ID_HEADER);
        String signature = CommandDecoder.header(headers, CommandSignature.SIGNATURE_HEADER);
        if (keyId == null || keyId.isEmpty() || signature == null || signature.isEmpty()) {
            return new CommandProducer.Unverified(UNSIGNED, "commands must be signed: headers "
                    + CommandSignature.KEY_ID_HEADER + " and " + CommandSignature.SIGNATURE_HEADER
                    + " (HMAC-SHA256, see the request-service README)");
        }
        if (keys.isEmpty()) {
            return new CommandProducer.Unverified(UNKNOWN_KEY,
                    "no producer keys are configured here, so no command is accepted");
        }
        Optional<ProducerKey> key = keys.find(keyId);
        if (key.isEmpty()) {
            return new CommandProducer.Unverified(UNKNOWN_KEY, ProducerKeys.KEY_ID.matcher(keyId).matches()
                    ? "no producer key '" + keyId + "' is configured here" : "not a producer key id");
        }
        if (!HEX_SHA256.matcher(signature).matches()) {
            return new CommandProducer.Unverified(BAD_SIGNATURE,
                    CommandSignature.SIGNATURE_HEADER + " must be 64 hex digits (HMAC-SHA256)");
        }
        byte[] expected;
        try {
            expected = CommandSignature.hmac(key.get().secret(), CommandSignature.signingInput(
                    utf8(recordKey), headers, utf8(value)));
        } catch (UnsignableRecordException e) {
            return new CommandProducer.Unverified(BAD_SIGNATURE, "the record cannot carry a signature: " + e.getMessage());
        }
        if (!MessageDigest.isEqual(expected, HexFormat.of().parseHex(signature))) {
            return new CommandProducer.Unverified(BAD_SIGNATURE, "the signature does not match the record for key '"
                    + keyId + "': the record was changed, or signed with another secret");
        }
        return new CommandProducer.Verified(keyId, key.get().tenants());
    }

    private static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
