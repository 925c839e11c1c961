package ai.vidgen.platform.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.vidgen.platform.auth.SignedUrls.Signature;
import ai.vidgen.platform.auth.SignedUrls.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedUrlsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String OLD = "k1:old-secret-0123456789abcdef";
    private static final String NEW = "k2:new-secret-0123456789abcdef";
    private static final String VIDEO = SignedUrls.video("gen-1");

    private static SignedUrls keys(String... specs) {
        return new SignedUrls(List.of(specs), CLOCK);
    }

    private static Verdict verify(SignedUrls urls, String object, Signature s) {
        return urls.verify(object, s.tenant(), Long.toString(s.expires()), s.keyId(), s.sig());
    }

    @Test
    void aSignatureVerifiesForItsTenantAndObjectUntilItExpires() {
        SignedUrls urls = keys(NEW);
        Signature s = urls.sign("acme", VIDEO, Duration.ofHours(1));

        assertThat(s.keyId()).isEqualTo("k2");
        assertThat(s.expires()).isEqualTo(NOW.plus(Duration.ofHours(1)).getEpochSecond());
        assertThat(s.sig()).matches("[A-Za-z0-9_-]{43}");
        assertThat(s.query()).isEqualTo("tenant=acme&expires=" + s.expires() + "&kid=k2&sig=" + s.sig());
        assertThat(verify(urls, VIDEO, s)).isEqualTo(Verdict.VALID);

        SignedUrls later = new SignedUrls(List.of(NEW), Clock.fixed(s.expiresAt(), ZoneOffset.UTC));
        assertThat(verify(later, VIDEO, s)).as("valid up to, not at, its expiry").isEqualTo(Verdict.EXPIRED);
    }

    @Test
    void changingAnyPartBreaksTheSignature() {
        SignedUrls urls = keys(NEW);
        Signature s = urls.sign("acme", VIDEO, Duration.ofHours(1));
        String expires = Long.toString(s.expires());

        assertThat(urls.verify(SignedUrls.video("gen-2"), "acme", expires, "k2", s.sig()))
                .as("another object").isEqualTo(Verdict.WRONG_SIGNATURE);
        assertThat(urls.verify(SignedUrls.input("gen-1"), "acme", expires, "k2", s.sig()))
                .as("an input of the same id").isEqualTo(Verdict.WRONG_SIGNATURE);
        assertThat(urls.verify(VIDEO, "other-tenant", expires, "k2", s.sig()))
                .as("another tenant").isEqualTo(Verdict.WRONG_SIGNATURE);
        assertThat(urls.verify(VIDEO, "acme", Long.toString(s.expires() + 3600), "k2", s.sig()))
                .as("a later expiry").isEqualTo(Verdict.WRONG_SIGNATURE);
        String flipped = (s.sig().charAt(0) == 'A' ? "B" : "A") + s.sig().substring(1);
        assertThat(urls.verify(VIDEO, "acme", expires, "k2", flipped)).isEqualTo(Verdict.WRONG_SIGNATURE);
        assertThat(urls.verify(VIDEO, "acme", expires, "k9", s.sig())).isEqualTo(Verdict.UNKNOWN_KEY);
    }

    @Test
    void missingOrMalformedParametersAreRefused() {
        SignedUrls urls = keys(NEW);
        Signature s = urls.sign("acme", VIDEO, Duration.ofHours(1));
        String expires = Long.toString(s.expires());

        assertThat(urls.verify(VIDEO, null, null, null, null)).isEqualTo(Verdict.MISSING);
        assertThat(urls.verify(VIDEO, "acme", expires, "k2", null)).isEqualTo(Verdict.MISSING);
        assertThat(urls.verify(VIDEO, "acme", "tomorrow", "k2", s.sig())).isEqualTo(Verdict.MALFORMED);
        assertThat(urls.verify(VIDEO, "acme", expires, "k2", "not*base64")).isEqualTo(Verdict.MALFORMED);
        assertThat(urls.verify(VIDEO, "acme\nx", expires, "k2", s.sig())).isEqualTo(Verdict.MALFORMED);
        assertThat(urls.verify(VIDEO, "acme", expires, "k2", "")).isEqualTo(Verdict.WRONG_SIGNATURE);
    }

    @Test
    void theFirstKeySignsAndEveryListedKeyVerifiesSoKeysRotate() {
        SignedUrls before = keys(OLD);
        Signature signedWithOld = before.sign("acme", VIDEO, Duration.ofHours(1));

        // Rotation, step 1: the new key first, the old one still listed.
        SignedUrls during = keys(NEW, OLD);
        Signature signedWithNew = during.sign("acme", VIDEO, Duration.ofHours(1));
        assertThat(signedWithNew.keyId()).isEqualTo("k2");
        assertThat(verify(during, VIDEO, signedWithOld)).as("old links keep working").isEqualTo(Verdict.VALID);
        assertThat(verify(during, VIDEO, signedWithNew)).isEqualTo(Verdict.VALID);

        // Step 2: the old key removed; its links stop working at once.
        SignedUrls after = keys(NEW);
        assertThat(verify(after, VIDEO, signedWithOld)).isEqualTo(Verdict.UNKNOWN_KEY);
        assertThat(verify(after, VIDEO, signedWithNew)).isEqualTo(Verdict.VALID);

        // A key id that stays but with another secret: the old links no longer verify.
        SignedUrls reused = keys("k1:an-entirely-different-secret");
        assertThat(verify(reused, VIDEO, signedWithOld)).isEqualTo(Verdict.WRONG_SIGNATURE);
    }

    @Test
    void withoutAKeySigningFailsClearlyAndNothingVerifies() {
        SignedUrls none = new SignedUrls(List.of("", " "), CLOCK);
        Signature elsewhere = keys(NEW).sign("acme", VIDEO, Duration.ofHours(1));

        assertThat(none.canSign()).isFalse();
        assertThatThrownBy(() -> none.sign("acme", VIDEO, Duration.ofHours(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("VIDGEN_URL_SIGNING_KEYS");
        assertThat(verify(none, VIDEO, elsewhere)).isEqualTo(Verdict.NO_KEYS);
    }

    @Test
    void malformedKeysAreRefusedWithoutShowingTheSecret() {
        assertThatThrownBy(() -> keys("no-colon-secret-0123456789"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kid:secret")
                .hasMessageNotContaining("0123456789");
        assertThatThrownBy(() -> keys("k1:short"))
                .hasMessageContaining("at least 16").hasMessageNotContaining("short");
        assertThatThrownBy(() -> keys("bad id:secret-0123456789abcdef")).hasMessageContaining("key id");
        assertThatThrownBy(() -> keys(OLD, "k1:other-secret-0123456789abcdef")).hasMessageContaining("twice");
    }
}
