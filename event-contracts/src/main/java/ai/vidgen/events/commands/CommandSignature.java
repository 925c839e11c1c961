package ai.vidgen.events.commands;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Signs a command record for {@code generation-commands}, binding it to the producer's key: Kafka
 * does not tell a consumer who produced a record, so each command carries
 * {@value #KEY_ID_HEADER} (which key) and {@value #SIGNATURE_HEADER} (lowercase hex of
 * HMAC-SHA256, keyed by the UTF-8 bytes of the key's secret, over {@link #signingInput}).
 *
 * <p>The signed text covers everything the request-service reads to decide what a command is and
 * whom it acts for: the record key, the {@code content-type} header and every CloudEvents
 * binary-mode header ({@code ce_} followed by lowercase letters and digits), and the value:
 * <pre>
 * vidgen-command-v1 LF
 * record key LF                      (empty when the record has none)
 * name ":" value LF                  (once per covered header, sorted by name, equal names in record order)
 * LF
 * value                              (empty when the record has none)
 * </pre>
 * The key and the covered header values may not contain CR or LF, so the text reads back one way
 * only. Any other header (tracing, the two signature headers themselves) is not covered and not
 * read by the consumer either.
 */
public final class CommandSignature {

    /** Which of the producer's keys signed the record. */
    public static final String KEY_ID_HEADER = "vidgen-key-id";
    /** Lowercase hex (64 characters) of the HMAC-SHA256 of {@link #signingInput}. */
    public static final String SIGNATURE_HEADER = "vidgen-signature";
    /** The first line of the signed text: the version of this algorithm. */
    public static final String VERSION = "vidgen-command-v1";

    private static final String HMAC = "HmacSHA256";
    private static final Pattern BINARY_MODE_HEADER = Pattern.compile("ce_[a-z0-9]+");
    private static final byte LF = '\n';

    private CommandSignature() {
    }

    /** A record that cannot be signed unambiguously (a line break in its key or a covered header). */
    public static class UnsignableRecordException extends IllegalArgumentException {
        public UnsignableRecordException(String reason) {
            super(reason);
        }
    }

    /**
     * Signs a record about to be sent: adds {@value #KEY_ID_HEADER} and {@value #SIGNATURE_HEADER}
     * (replacing earlier ones). Add every CloudEvents header before signing; change nothing after.
     *
     * @return the same record
     */
    public static ProducerRecord<String, String> sign(ProducerRecord<String, String> record, String keyId,
            String secret) {
        Headers headers = record.headers();
        headers.remove(KEY_ID_HEADER);
        headers.remove(SIGNATURE_HEADER);
        String signature = signature(secret, utf8(record.key()), headers, utf8(record.value()));
        headers.add(KEY_ID_HEADER, keyId.getBytes(StandardCharsets.UTF_8));
        headers.add(SIGNATURE_HEADER, signature.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** The signature of a record's parts: lowercase hex of HMAC-SHA256 over {@link #signingInput}. */
    public static String signature(String secret, byte[] recordKey, Iterable<Header> headers, byte[] value) {
        return HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8),
                signingInput(recordKey, headers, value)));
    }

    /** HMAC-SHA256 of {@code input} under {@code secret}. */
    public static byte[] hmac(byte[] secret, byte[] input) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret, HMAC));
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /**
     * The signed text of a record (see the class comment); {@code null} key or value count as empty.
     *
     * @throws UnsignableRecordException when the key or a covered header value holds CR or LF, or a
     *                                   covered header has no value
     */
    public static byte[] signingInput(byte[] recordKey, Iterable<Header> headers, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(VERSION.getBytes(StandardCharsets.UTF_8));
        out.write(LF);
        byte[] key = recordKey == null ? new byte[0] : recordKey;
        requireOneLine(key, "the record key");
        out.writeBytes(key);
        out.write(LF);
        for (Header header : covered(headers)) {
            if (header.value() == null) {
                throw new UnsignableRecordException("header " + header.key() + " has no value");
            }
            requireOneLine(header.value(), "header " + header.key());
            out.writeBytes(header.key().getBytes(StandardCharsets.UTF_8));
            out.write(':');
            out.writeBytes(header.value());
            out.write(LF);
        }
        out.write(LF);
        if (value != null) {
            out.writeBytes(value);
        }
        return out.toByteArray();
    }

    /** True for the headers the signature covers: {@code content-type} and the CloudEvents {@code ce_*} ones. */
    public static boolean covers(String headerName) {
        return "content-type".equals(headerName) || BINARY_MODE_HEADER.matcher(headerName).matches();
    }

    private static List<Header> covered(Iterable<Header> headers) {
        List<Header> out = new ArrayList<>();
        if (headers != null) {
            for (Header h : headers) {
                if (covers(h.key())) {
                    out.add(h);
                }
            }
        }
        // Names are ASCII here, so String order is byte order; the sort is stable for repeated names.
        out.sort(Comparator.comparing(Header::key));
        return out;
    }

    private static void requireOneLine(byte[] bytes, String what) {
        for (byte b : bytes) {
            if (b == '\n' || b == '\r') {
                throw new UnsignableRecordException(what + " contains a line break");
            }
        }
    }

    private static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
