package ai.vidgen.storage.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.vidgen.storage.domain.ArchiveFailure;
import ai.vidgen.storage.domain.FailureReason;
import ai.vidgen.testsupport.net.LoopbackServer;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the downloader connects: only to addresses checked for that very connection. In the test
 * profile both 127.0.0.1 and localhost are allowed download hosts; the literal is trusted as
 * written, the name must resolve to public addresses like any other.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class VideoDownloaderAddressTest {

    private static final String PUBLIC = "93.184.215.14";

    @Inject
    VideoDownloader downloader;

    @Inject
    ReplaceableHostResolver resolver;

    @TempDir
    Path dir;

    @AfterEach
    void restoreDns() {
        resolver.restore();
    }

    @Test
    void anAllowedNameResolvingToLoopbackIsNeverContacted() {
        try (LoopbackServer cdn = LoopbackServer.answering(200)) {
            ArchiveFailure refused = assertThrows(ArchiveFailure.class,
                    () -> downloader.download("http://localhost:" + cdn.port() + "/v.mp4", dir.resolve("a.download")));

            assertEquals(FailureReason.HOST_NOT_ALLOWED, refused.reason());
            assertEquals("host localhost resolves to 127.0.0.1, a loopback address; only public addresses are "
                    + "downloaded from", refused.getMessage());
            assertEquals(0, cdn.connections());
        }
    }

    @Test
    void aNameThatRebindsToLoopbackAfterTheCheckIsNeverConnectedTo() {
        try (LoopbackServer cdn = LoopbackServer.answering(200)) {
            AtomicInteger lookups = new AtomicInteger();
            // Public on the first lookup, loopback on every later one.
            resolver.use(host -> Uni.createFrom().item(() -> List.of(address(
                    lookups.incrementAndGet() == 1 ? PUBLIC : "127.0.0.1"))));

            // Nothing listens on the checked public address: the download fails there.
            ArchiveFailure failed = assertThrows(ArchiveFailure.class,
                    () -> downloader.download("http://localhost:" + cdn.port() + "/v.mp4", dir.resolve("b.download")));

            assertEquals(FailureReason.DOWNLOAD_FAILED, failed.reason());
            assertEquals(0, cdn.connections(), "no connection to the loopback server");
            assertEquals(1, lookups.get(), "resolved once");
        }
    }

    @Test
    void aRedirectToALoopbackNameIsRefusedAndNotFollowed() {
        try (LoopbackServer target = LoopbackServer.answering(200);
                LoopbackServer cdn = LoopbackServer.answering(302,
                        "Location: http://localhost:" + target.port() + "/v.mp4")) {
            ArchiveFailure refused = assertThrows(ArchiveFailure.class,
                    () -> downloader.download("http://127.0.0.1:" + cdn.port() + "/v.mp4", dir.resolve("c.download")));

            assertEquals(FailureReason.REDIRECT_NOT_ALLOWED, refused.reason());
            assertEquals(1, cdn.connections());
            assertEquals(0, target.connections(), "the redirect target was never contacted");
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
