package ai.vidgen.faladapter.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The last segment of the webhook URL the adapter hands fal: which generation attempt a delivery
 * is about, signed so nobody can point a delivery at another attempt.
 * {@code base64url(generationId) "." attempt "." base64url(HMAC-SHA256(secret, generationId \n attempt))}.
 * The token is not the proof that fal sent the delivery; fal's Ed25519 signature is.
 */
public final class WebhookToken {

    /** What a valid token names. */
    public record Ref(String generationId, int attempt) {
    }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final byte[] secret;

    public WebhookToken(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the webhook token secret needs at least 16 bytes");
        }
        this.secret = secret.clone();
    }

    public String create(String generationId, int attempt) {
        return B64.encodeToString(generationId.getBytes(StandardCharsets.UTF_8)) + "." + attempt + "."
                + B64.encodeToString(mac(generationId, attempt));
    }

    /** The attempt a token names, or empty when it is malformed or its MAC does not match. */
    public Optional<Ref> parse(String token) {
        if (token == null || token.length() > 1024) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            String generationId = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
            int attempt = Integer.parseInt(parts[1]);
            byte[] presented = Base64.getUrlDecoder().decode(parts[2]);
            if (attempt < 1 || generationId.isEmpty()
                    || !MessageDigest.isEqual(presented, mac(generationId, attempt))) {
                return Optional.empty();
            }
            return Optional.of(new Ref(generationId, attempt));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String generationId, int attempt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal((generationId + "\n" + attempt).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
