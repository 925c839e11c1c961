package ai.vidgen.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mp4parser.IsoFile;
import org.mp4parser.boxes.iso14496.part12.MovieHeaderBox;
import org.mp4parser.boxes.iso14496.part12.TrackBox;

/**
 * One generation the whole way, through the packaged applications running as real processes
 * against a real broker and a real PostgreSQL: accepted, dispatched, submitted to the fal
 * emulator, completed, archived as a verified MP4, and billed $1.12 exactly; and one trace
 * follows it through all five services and the call to fal.
 */
class WalkingSkeletonIT {

    private static final String TEMPLATE_LOG_LEVEL = "QUARKUS_LOG_CATEGORY__AI_VIDGEN_PLATFORM_MESSAGING__LEVEL";
    private static final Pattern TRACED_LINE = Pattern.compile("\\[trace=([0-9a-f]{32}) gen=([^\\]]+)]");

    static RunningStack running;
    static LocalStack stack;
    static Path work;

    @BeforeAll
    static void startStack() {
        // The consumer template logs each handled event at DEBUG with the trace and generation ids.
        running = RunningStack.start("it-stack", Duration.ofSeconds(2), settings -> {
            StackSettings traced = settings;
            for (PlatformService service : PlatformService.values()) {
                traced = traced.withEnvironment(service, Map.of(TEMPLATE_LOG_LEVEL, "DEBUG"));
            }
            return traced;
        });
        stack = running.stack();
        work = running.workDir("it-stack");
    }

    @AfterAll
    static void stopStack() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void aGenerationIsAcceptedRenderedArchivedBilledExactlyOnceAndTracedThroughout() throws Exception {
        PlatformClient client = new PlatformClient(stack.url(PlatformService.REQUEST), "it-tenant", stack.adminToken());
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
        // billing settles on VideoArchived, the same event that completes the status: await the row.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                client.getJson(stack.url(PlatformService.BILLING) + "/v1/ledger?generationId=" + id))
                .extracting(e -> e.path("kind").asText() + " " + e.path("amountMicros").asLong())
                .containsExactly("RESERVE 1120000", "SETTLE 1120000"));
        JsonNode falRequests = client.getJson(stack.url(PlatformService.FAL_EMULATOR) + "/_emulator/requests");
        String falRequestId = done.path("fal_request_id").asText();
        assertThat(falRequests).filteredOn(r -> r.path("request_id").asText().equals(falRequestId))
                .singleElement().satisfies(r -> {
                    assertThat(r.path("submissions").asInt()).isEqualTo(1);
                    // What we archived is byte for byte what fal (the emulator) produced.
                    Path original = work.resolve("fal-original.mp4");
                    download(r.path("video_url").asText(), original);
                    assertThat(sha256(original)).isEqualTo(sha256(file));
                    assertOneTraceFollowed(id, r);
                });
    }

    /**
     * Every service's log has lines for this generation, and all of them, in every service, carry
     * one trace id: the trace the HTTP request started. The fal emulator received that same trace
     * in the {@code traceparent} header of the submit.
     */
    private static void assertOneTraceFollowed(String id, JsonNode falRequest) {
        Map<String, Set<String>> tracesByService = new TreeMap<>();
        // billing's GenerationBilled is the last event; the read model folds it last of all
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (PlatformService service : PlatformService.values()) {
                if (service != PlatformService.FAL_EMULATOR) {
                    tracesByService.put(service.module(), traceIds(service, id));
                }
            }
            assertThat(tracesByService).allSatisfy((service, traces) ->
                    assertThat(traces).as("trace ids in %s's log for %s", service, id).isNotEmpty());
        });
        Set<String> all = new TreeSet<>();
        tracesByService.values().forEach(all::addAll);
        assertThat(all).as("trace ids per service: %s", tracesByService).hasSize(1);
        assertThat(falRequest.path("traceparent").asText()).as("the traceparent fal received")
                .contains("-" + all.iterator().next() + "-");
    }

    private static Set<String> traceIds(PlatformService service, String generationId) throws IOException {
        Path log = work.resolve("logs").resolve(service.module() + ".log");
        Set<String> traces = new TreeSet<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = TRACED_LINE.matcher(line);
            if (m.find() && m.group(2).equals(generationId)) {
                traces.add(m.group(1));
            }
        }
        return traces;
    }

    private static void download(String url, Path target) throws IOException, InterruptedException {
        java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofFile(target));
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
