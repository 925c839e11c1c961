package ai.vidgen.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.vidgen.testsupport.infra.PostgresServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mp4parser.IsoFile;
import org.mp4parser.boxes.iso14496.part12.MovieHeaderBox;
import org.mp4parser.boxes.iso14496.part12.TrackBox;

/**
 * One generation the whole way, through the packaged applications running as real processes
 * against a real broker and a real PostgreSQL: accepted, dispatched, submitted to the fal
 * emulator, completed, archived as a verified MP4, and billed $1.12 exactly.
 */
class WalkingSkeletonIT {

    /** Under target/, so that the services' logs stay for a look after a failure. */
    static final Path work = Path.of("target/it-stack").toAbsolutePath();

    static PostgresServer postgres;
    static LocalStack stack;
    static List<Long> pids;

    @BeforeAll
    static void startStack() throws IOException {
        deleteRecursively(work);
        Path root = Path.of(System.getProperty("vidgen.project.root", "..")).toAbsolutePath().normalize();
        postgres = PostgresServer.startThrowaway();
        stack = LocalStack.start(new StackSettings(root, work, postgres, null, 0, 0, StackSettings.freePorts(),
                Duration.ofSeconds(2)), line -> System.out.println("[it] " + line));
        pids = java.util.Arrays.stream(PlatformService.values()).map(s -> stack.app(s).process().pid()).toList();
    }

    @AfterAll
    static void stopStack() {
        long kafkaPid = stack != null && stack.kafka() != null ? stack.kafka().process().pid() : -1;
        if (stack != null) {
            stack.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (pids != null) {
            // Nothing the stack started may outlive it.
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                for (long pid : pids) {
                    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                            .as("process %d still alive", pid).isFalse();
                }
                assertThat(ProcessHandle.of(kafkaPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            });
        }
    }

    @Test
    void aGenerationIsAcceptedRenderedArchivedAndBilledExactlyOnce() throws Exception {
        PlatformClient client = new PlatformClient(stack.url(PlatformService.REQUEST), "it-tenant");
        JsonNode done = new SampleGeneration(client, line -> System.out.println("[it] " + line))
                .run(Duration.ofMinutes(2));

        assertThat(done.path("status").asText()).as("generation ended with %s", done.path("error"))
                .isEqualTo("completed");
        assertThat(done.path("cost").path("amount_micros").asLong()).isEqualTo(1_120_000L);

        // The archived file is a real MP4 of about five seconds, with audio, as stored.
        JsonNode video = done.path("video");
        Path file = Path.of(URI.create(video.path("location").asText()));
        assertThat(file).exists().startsWith(stack.videosDir());
        assertThat(Files.size(file)).isEqualTo(video.path("bytes").asLong());
        assertThat(sha256(file)).isEqualTo(video.path("sha256").asText());
        try (IsoFile mp4 = new IsoFile(file.toFile())) {
            MovieHeaderBox header = mp4.getMovieBox().getMovieHeaderBox();
            double seconds = (double) header.getDuration() / header.getTimescale();
            assertThat(seconds).isBetween(4.9, 5.1);
            assertThat(mp4.getMovieBox().getBoxes(TrackBox.class)).extracting(
                    t -> t.getMediaBox().getHandlerBox().getHandlerType()).contains("vide", "soun");
        }

        // fal saw exactly one submission; the ledger holds one reservation and one charge.
        String id = done.path("id").asText();
        JsonNode ledger = client.getJson(stack.url(PlatformService.BILLING) + "/v1/ledger?generationId=" + id);
        assertThat(ledger).extracting(e -> e.path("kind").asText() + " " + e.path("amountMicros").asLong())
                .containsExactly("RESERVE 1120000", "SETTLE 1120000");
        JsonNode falRequests = client.getJson(stack.url(PlatformService.FAL_EMULATOR) + "/_emulator/requests");
        String falRequestId = done.path("fal_request_id").asText();
        assertThat(falRequests).filteredOn(r -> r.path("request_id").asText().equals(falRequestId))
                .singleElement().satisfies(r -> {
                    assertThat(r.path("submissions").asInt()).isEqualTo(1);
                    // What we archived is byte for byte what fal (the emulator) produced.
                    Path original = work.resolve("fal-original.mp4");
                    download(r.path("video_url").asText(), original);
                    assertThat(sha256(original)).isEqualTo(sha256(file));
                });
    }

    private static void download(String url, Path target) throws IOException, InterruptedException {
        java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofFile(target));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String sha256(Path file) throws IOException, java.security.NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
