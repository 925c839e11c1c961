package ai.vidgen.request.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API keys: {@code vgk_<id>.<secret>}, the id 16 hex digits (public, the lookup key), the secret
 * 32 random bytes in base64url. Only the SHA-256 of the whole key is stored; a presented key is
 * hashed and compared in constant time ({@link MessageDigest#isEqual}).
 */
public final class ApiKeys {

    public static final String PREFIX = "vgk_";
    private static final Pattern FORMAT = Pattern.compile("vgk_([0-9a-f]{16})\\.([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A freshly minted key: {@code key} is shown once and never stored. */
    public record Minted(String id, String key, byte[] sha256) {
    }

    private ApiKeys() {
    }

    public static Minted mint() {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        String keyId = HexFormat.of().formatHex(id);
        String key = PREFIX + keyId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new Minted(keyId, key, sha256(key));
    }

    /** The key's id when it has our format; keys configured by hash need not have it. */
    public static Optional<String> idOf(String key) {
        var m = FORMAT.matcher(key);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    /** Constant-time comparison (the time does not depend on where the arrays differ). */
    public static boolean matches(byte[] presentedHash, byte[] storedHash) {
        return storedHash != null && MessageDigest.isEqual(presentedHash, storedHash);
    }
}
