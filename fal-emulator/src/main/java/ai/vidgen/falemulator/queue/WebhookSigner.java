package ai.vidgen.falemulator.queue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Signs webhook deliveries as fal does, with the emulator's own Ed25519 key (made at start, so a
 * restart rotates it): the hex signature over {@code request id \n user id \n timestamp \n
 * sha256-hex(body)}. The public key is published as an OKP JWK ({@code x} = base64url of the raw
 * 32 bytes).
 */
@ApplicationScoped
public class WebhookSigner {

    /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519; the raw key follows it. */
    private static final int SPKI_PREFIX_LENGTH = 12;

    private final KeyPair keys;
    private final String keyId = UUID.randomUUID().toString();

    public WebhookSigner() {
        try {
            this.keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available", e);
        }
    }

    public static String message(String requestId, String userId, String timestamp, byte[] body) {
        try {
            String bodyHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
            return String.join("\n", requestId, userId, timestamp, bodyHash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hex Ed25519 signature of the four-line message. */
    public String sign(String requestId, String userId, String timestamp, byte[] body) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(keys.getPrivate());
            signature.update(message(requestId, userId, timestamp, body).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public JsonObject jwks() {
        byte[] spki = keys.getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(spki, SPKI_PREFIX_LENGTH, spki.length);
        JsonObject key = new JsonObject()
                .put("kty", "OKP")
                .put("crv", "Ed25519")
                .put("kid", keyId)
                .put("use", "sig")
                .put("alg", "EdDSA")
                .put("x", Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
        return new JsonObject().put("keys", new JsonArray().add(key));
    }
}
