package ai.vidgen.platform.auth;

import io.smallrye.config.ConfigMapping;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-limited links to one tenant's object, in the manner of S3 presigned URLs: the query
 * parameters {@code tenant}, {@code expires} (epoch seconds), {@code kid} and {@code sig} carry an
 * HMAC-SHA256 over (key id, tenant, object, expiry). Whoever holds the link may read that one
 * object until it expires; nothing else about it can be changed without the signature failing.
 *
 * <p>Keys come from {@code vidgen.url-signing.keys} ({@code VIDGEN_URL_SIGNING_KEYS}): a
 * comma-separated list of {@code kid:secret}. The first key signs, every listed key verifies, so a
 * key rotates by putting a new one first, waiting until the links signed with the old one have
 * expired, and then removing the old one. Links of a removed key stop working at once.
 *
 * <p>Fail closed: with no key configured, {@link #sign} throws and {@link #verify} refuses
 * everything. Signatures are compared in constant time.
 */
@Singleton
public final class SignedUrls {

    public static final String TENANT = "tenant";
    public static final String EXPIRES = "expires";
    public static final String KEY_ID = "kid";
    public static final String SIGNATURE = "sig";

    /** The setting and its environment variable, named in errors so an operator knows what to set. */
    public static final String SETTING = "vidgen.url-signing.keys (VIDGEN_URL_SIGNING_KEYS)";

    private static final Pattern KEY_ID_SYNTAX = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MIN_SECRET_LENGTH = 16;
    private static final String ALGORITHM = "HmacSHA256";
    /** Versioned so the signed text can change later without old and new signatures colliding. */
    private static final String SCHEME = "vidgen-url-v1";

    /** The setting, typed. */
    @ConfigMapping(prefix = "vidgen.url-signing")
    public interface Config {

        /** {@code kid:secret} entries, comma-separated; the first signs, all verify. */
        Optional<List<String>> keys();
    }

    /** Why a link was refused (or that it was not); callers answer all refusals alike. */
    public enum Verdict {
        VALID, NO_KEYS, MISSING, MALFORMED, EXPIRED, UNKNOWN_KEY, WRONG_SIGNATURE;

        public boolean valid() {
            return this == VALID;
        }
    }

    /** The query parameters of one signed link. */
    public record Signature(String tenant, long expires, String keyId, String sig) {

        /** {@code tenant=…&expires=…&kid=…&sig=…}, URL-encoded, to append after {@code ?}. */
        public String query() {
            return TENANT + "=" + encode(tenant) + "&" + EXPIRES + "=" + expires + "&" + KEY_ID + "=" + encode(keyId)
                    + "&" + SIGNATURE + "=" + encode(sig);
        }

        public Instant expiresAt() {
            return Instant.ofEpochSecond(expires);
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }

    private final Map<String, byte[]> keys;
    private final String signingKeyId;
    private final Clock clock;

    @Inject
    public SignedUrls(Config config) {
        this(config.keys().orElse(List.of()), Clock.systemUTC());
    }

    /**
     * @param keySpecs {@code kid:secret} entries, the signing one first; blank entries are ignored
     * @throws IllegalArgumentException when an entry is malformed, a secret is shorter than 16
     *                                  characters or a key id is listed twice
     */
    public SignedUrls(List<String> keySpecs, Clock clock) {
        Map<String, byte[]> parsed = new LinkedHashMap<>();
        for (String spec : keySpecs) {
            if (spec == null || spec.isBlank()) {
                continue;
            }
            int colon = spec.indexOf(':');
            String kid = colon < 0 ? "" : spec.substring(0, colon).trim();
            String secret = colon < 0 ? "" : spec.substring(colon + 1).trim();
            // The messages never include the secret, nor the entry that holds it.
            if (!KEY_ID_SYNTAX.matcher(kid).matches()) {
                throw new IllegalArgumentException(SETTING + ": every entry must be kid:secret with a key id of 1 to 64 "
                        + "letters, digits, '.', '_' or '-'; entry " + (parsed.size() + 1) + " is not");
            }
            if (secret.length() < MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException(SETTING + ": the secret of key " + kid + " must have at least "
                        + MIN_SECRET_LENGTH + " characters (32 random bytes, base64, is a good one)");
            }
            if (parsed.putIfAbsent(kid, secret.getBytes(StandardCharsets.UTF_8)) != null) {
                throw new IllegalArgumentException(SETTING + ": key id " + kid + " is listed twice");
            }
        }
        this.keys = Map.copyOf(parsed);
        this.signingKeyId = parsed.isEmpty() ? null : parsed.keySet().iterator().next();
        this.clock = clock;
    }

    /** The object name of an archived video's links (its generation id). */
    public static String video(String generationId) {
        return "video/" + generationId;
    }

    /** The object name of an uploaded input's links. */
    public static String input(String inputId) {
        return "input/" + inputId;
    }

    /** Whether a key is configured to sign with. */
    public boolean canSign() {
        return signingKeyId != null;
    }

    /** Throws the error {@link #sign} would, so a service that must sign can refuse to start without a key. */
    public void requireSigningKey() {
        if (!canSign()) {
            throw new IllegalStateException("no URL-signing key is configured: set " + SETTING
                    + " to kid:secret[,kid:secret...]; the first key signs, every listed key verifies");
        }
    }

    /** A link to {@code object} for {@code tenant}, valid from now for {@code validFor}. */
    public Signature sign(String tenant, String object, Duration validFor) {
        return sign(tenant, object, clock.instant().plus(validFor));
    }

    public Signature sign(String tenant, String object, Instant expiresAt) {
        requireSigningKey();
        if (!usable(tenant) || !usable(object)) {
            throw new IllegalArgumentException("tenant and object must be non-empty single-line strings");
        }
        long expires = expiresAt.getEpochSecond();
        return new Signature(tenant, expires, signingKeyId, mac(keys.get(signingKeyId), signingKeyId, tenant, object,
                expires));
    }

    /**
     * Checks the query parameters of a request for {@code object}. Every refusal should get the
     * same answer; the verdict says which check failed, for logs and tests.
     */
    public Verdict verify(String object, String tenant, String expires, String keyId, String sig) {
        if (keys.isEmpty()) {
            return Verdict.NO_KEYS;
        }
        if (tenant == null || expires == null || keyId == null || sig == null) {
            return Verdict.MISSING;
        }
        if (!usable(tenant) || !usable(object)) {
            return Verdict.MALFORMED;
        }
        long expiresAt;
        byte[] presented;
        try {
            expiresAt = Long.parseLong(expires);
            presented = Base64.getUrlDecoder().decode(sig);
        } catch (IllegalArgumentException e) {
            return Verdict.MALFORMED;
        }
        if (clock.instant().getEpochSecond() >= expiresAt) {
            return Verdict.EXPIRED;
        }
        byte[] secret = keys.get(keyId);
        if (secret == null) {
            return Verdict.UNKNOWN_KEY;
        }
        byte[] expected = Base64.getUrlDecoder().decode(mac(secret, keyId, tenant, object, expiresAt));
        return MessageDigest.isEqual(expected, presented) ? Verdict.VALID : Verdict.WRONG_SIGNATURE;
    }

    private static boolean usable(String value) {
        return value != null && !value.isEmpty() && value.indexOf('\n') < 0 && value.indexOf('\r') < 0;
    }

    private static String mac(byte[] secret, String keyId, String tenant, String object, long expires) {
        String text = SCHEME + "\n" + keyId + "\n" + tenant + "\n" + object + "\n" + expires;
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
