package ai.vidgen.storage.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostPolicyTest {

    private final HostPolicy policy = new HostPolicy(
            List.of("fal.media", "v3b.fal.media", "*.cdn.example.com", "127.0.0.1"), List.of("127.0.0.1"));

    private FailureReason refused(String url, boolean redirect) {
        return assertThrows(ArchiveFailure.class, () -> policy.check(url, redirect)).reason();
    }

    @Test
    void allowsListedHostsOverHttps() {
        policy.check("https://v3b.fal.media/files/x.mp4", false);
        policy.check("https://V3B.FAL.MEDIA./files/x.mp4", false);
        policy.check("https://a.cdn.example.com/x.mp4", false);
        policy.check("http://127.0.0.1:8090/x.mp4", false);
    }

    @Test
    void refusesEverythingElseBeforeAnyConnection() {
        assertEquals(FailureReason.HOST_NOT_ALLOWED, refused("https://evil.example/x.mp4", false));
        assertEquals(FailureReason.HOST_NOT_ALLOWED, refused("https://fal.media.evil.example/x.mp4", false));
        assertEquals(FailureReason.HOST_NOT_ALLOWED, refused("https://cdn.example.com/x.mp4", false));
        assertEquals(FailureReason.HOST_NOT_ALLOWED, refused("https://169.254.169.254/latest/meta-data", false));
        assertEquals(FailureReason.INSECURE_URL, refused("http://fal.media/x.mp4", false));
        assertEquals(FailureReason.INVALID_URL, refused("file:///etc/passwd", false));
        assertEquals(FailureReason.INVALID_URL, refused("https://user:pw@fal.media/x.mp4", false));
        assertEquals(FailureReason.INVALID_URL, refused("/relative.mp4", false));
        assertEquals(FailureReason.INVALID_URL, refused("https://fal media/x", false));
        assertEquals(FailureReason.REDIRECT_NOT_ALLOWED, refused("https://evil.example/x.mp4", true));
        assertEquals(FailureReason.REDIRECT_NOT_ALLOWED, refused("http://fal.media/x.mp4", true));
    }

    @Test
    void onlyAllowedHostsWrittenAsAddressesSkipTheAddressCheck() {
        HostPolicy withV6 = new HostPolicy(List.of("fal.media", "127.0.0.1", "[::1]", "*.cdn.example.com", "localhost"),
                List.of());
        assertEquals(java.util.Set.of("127.0.0.1", "::1"), withV6.addressLiterals());
    }
}
