package ai.vidgen.storage;

import ai.vidgen.platform.auth.SignedUrls;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Signed links as request-service makes them, with the tests' key
 * ({@code %test.vidgen.url-signing.keys}): the query string to append after {@code ?}.
 */
final class Links {

    static final String KEY = "test-k1:test-url-signing-secret-0001";
    static final SignedUrls URLS = new SignedUrls(List.of(KEY), Clock.systemUTC());

    private Links() {
    }

    /** A link to the video of {@link TestEvents#TENANT}, valid for an hour. */
    static String video(String generationId) {
        return video(generationId, TestEvents.TENANT);
    }

    static String video(String generationId, String tenant) {
        return URLS.sign(tenant, SignedUrls.video(generationId), Duration.ofHours(1)).query();
    }

    static String input(String inputId, String tenant) {
        return URLS.sign(tenant, SignedUrls.input(inputId), Duration.ofHours(1)).query();
    }
}
