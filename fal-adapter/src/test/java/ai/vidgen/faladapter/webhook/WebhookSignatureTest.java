package ai.vidgen.faladapter.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final Duration SKEW = Duration.ofSeconds(300);
    private static final byte[] BODY = "{\"request_id\":\"r1\",\"status\":\"OK\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8);

    private final KeyPair fal = generate();
    private final KeyPair forger = generate();
    private final Instant now = Instant.ofEpochSecond(1_800_000_000L);
    private final String ts = Long.toString(now.getEpochSecond());

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(KeyPair keys, String requestId, String userId, String timestamp, byte[] body)
            throws Exception {
        Signature signature = Signature.getInstance("Ed25519");
        signature.initSign(keys.getPrivate());
        signature.update(WebhookSignature.message(requestId, userId, timestamp, body).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(signature.sign());
    }

    /** The key as the JWKS publishes it (raw 32 bytes), read back through the adapter's own decoding. */
    private PublicKey published(KeyPair keys) throws Exception {
        byte[] spki = keys.getPublic().getEncoded();
        return WebhookSignature.ed25519(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
    }

    @Test
    void fourLineMessageIsRequestIdUserIdTimestampAndBodyHash() {
        String message = WebhookSignature.message("r1", "u1", "123", "abc".getBytes(StandardCharsets.UTF_8));
        assertEquals("r1\nu1\n123\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", message);
    }

    @Test
    void aGenuineDeliveryVerifies() throws Exception {
        String sig = sign(fal, "r1", "u1", ts, BODY);
        assertEquals(Optional.empty(), WebhookSignature.problem("r1", "u1", ts, sig, BODY,
                List.of(published(forger), published(fal)), now.plusSeconds(299), SKEW), "any published key may verify");
    }

    @Test
    void forgedTamperedAndReplayedDeliveriesAreRefused() throws Exception {
        List<PublicKey> keys = List.of(published(fal));
        String sig = sign(fal, "r1", "u1", ts, BODY);
        assertEquals(Optional.of("bad_signature"), WebhookSignature.problem("r1", "u1", ts,
                sign(forger, "r1", "u1", ts, BODY), BODY, keys, now, SKEW), "signed by another key");
        byte[] tampered = BODY.clone();
        tampered[5] ^= 1;
        assertEquals(Optional.of("bad_signature"), WebhookSignature.problem("r1", "u1", ts, sig, tampered, keys, now, SKEW));
        assertEquals(Optional.of("bad_signature"), WebhookSignature.problem("r2", "u1", ts, sig, BODY, keys, now, SKEW),
                "another request id");
        assertEquals(Optional.of("stale"), WebhookSignature.problem("r1", "u1", ts, sig, BODY, keys,
                now.plusSeconds(301), SKEW), "a genuine delivery replayed after the skew window");
        assertEquals(Optional.of("stale"), WebhookSignature.problem("r1", "u1", ts, sig, BODY, keys,
                now.minusSeconds(301), SKEW), "from the future");
        assertEquals(Optional.of("missing_header"), WebhookSignature.problem("r1", null, ts, sig, BODY, keys, now, SKEW));
        assertEquals(Optional.of("bad_timestamp"), WebhookSignature.problem("r1", "u1", "soon", sig, BODY, keys, now, SKEW));
        assertEquals(Optional.of("bad_signature"), WebhookSignature.problem("r1", "u1", ts, "zz", BODY, keys, now, SKEW));
        assertEquals(Optional.of("no_keys"), WebhookSignature.problem("r1", "u1", ts, sig, BODY, List.of(), now, SKEW));
    }

    @Test
    void tokensRoundTripAndRefuseTampering() {
        WebhookToken tokens = new WebhookToken("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8));
        String token = tokens.create("gen-1", 2);
        assertEquals(Optional.of(new WebhookToken.Ref("gen-1", 2)), tokens.parse(token));
        String[] parts = token.split("\\.");
        assertTrue(tokens.parse(parts[0] + ".3." + parts[2]).isEmpty(), "another attempt");
        assertTrue(tokens.parse("Z2VuLTI." + parts[1] + "." + parts[2]).isEmpty(), "another generation");
        assertTrue(new WebhookToken("another-secret-0123456".getBytes(StandardCharsets.UTF_8)).parse(token).isEmpty());
        assertTrue(tokens.parse("garbage").isEmpty());
        assertTrue(tokens.parse(null).isEmpty());
    }
}
