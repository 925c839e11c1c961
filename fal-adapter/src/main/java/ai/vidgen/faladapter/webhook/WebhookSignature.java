package ai.vidgen.faladapter.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * fal's webhook signature check, pure: Ed25519 (detached, hex) over
 * {@code request id \n user id \n timestamp \n sha256-hex(raw body)}, timestamp within the skew,
 * accepted when any published key verifies.
 */
public final class WebhookSignature {

    /** X.509 SubjectPublicKeyInfo prefix of an Ed25519 key; the raw 32 bytes follow. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private WebhookSignature() {
    }

    /** A JWK's {@code x} (base64url of the raw 32-byte key) as a JDK public key. */
    public static PublicKey ed25519(byte[] raw) throws GeneralSecurityException {
        if (raw.length != 32) {
            throw new GeneralSecurityException("an Ed25519 key has 32 bytes, got " + raw.length);
        }
        byte[] spki = new byte[SPKI_PREFIX.length + raw.length];
        System.arraycopy(SPKI_PREFIX, 0, spki, 0, SPKI_PREFIX.length);
        System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, raw.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }

    public static String message(String requestId, String userId, String timestamp, byte[] body) {
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
            return String.join("\n", requestId, userId, timestamp, hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Why the delivery is refused ({@code missing_header}, {@code stale}, {@code bad_signature}), or empty when it verifies. */
    public static Optional<String> problem(String requestId, String userId, String timestamp, String signatureHex,
            byte[] body, List<PublicKey> keys, Instant now, Duration maxSkew) {
        if (blank(requestId) || blank(userId) || blank(timestamp) || blank(signatureHex)) {
            return Optional.of("missing_header");
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Optional.of("bad_timestamp");
        }
        if (Math.abs(now.getEpochSecond() - ts) > maxSkew.toSeconds()) {
            return Optional.of("stale");
        }
        byte[] signature;
        try {
            signature = HexFormat.of().parseHex(signatureHex.trim());
        } catch (IllegalArgumentException e) {
            return Optional.of("bad_signature");
        }
        byte[] message = message(requestId, userId, timestamp, body).getBytes(StandardCharsets.UTF_8);
        for (PublicKey key : keys) {
            try {
                Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(key);
                verifier.update(message);
                if (verifier.verify(signature)) {
                    return Optional.empty();
                }
            } catch (GeneralSecurityException e) {
                // a malformed signature for this key: try the next
            }
        }
        return Optional.of(keys.isEmpty() ? "no_keys" : "bad_signature");
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
