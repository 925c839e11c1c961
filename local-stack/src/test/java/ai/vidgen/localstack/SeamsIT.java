package ai.vidgen.localstack;

import static ai.vidgen.localstack.PlatformService.FAL_EMULATOR;
import static ai.vidgen.localstack.PlatformService.REQUEST;
import static ai.vidgen.localstack.PlatformService.STORAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seams between the platform and the outside, on the packaged services: videos only by
 * signed link (a header names no tenant), admin and money routes behind credentials, a tenant's
 * money only its own, and requests bounded in size with inline media moved out of the events,
 * while fal (the emulator, which fetches every input as fal does) still gets what it needs.
 */
class SeamsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String T2V = "fal-ai/kling-video/v3/standard/text-to-video";
    private static final String I2V = "fal-ai/kling-video/v3/standard/image-to-video";
    private static final String REMIX = "fal-ai/kling-video/o3/standard/video-to-video/edit";

    static RunningStack running;
    static LocalStack stack;
    static String tenant;
    static JsonNode completed;

    @BeforeAll
    static void startStackWithOneCompletedVideo() {
        running = RunningStack.start("it-seams", Duration.ofSeconds(2), settings -> settings);
        stack = running.stack();
        tenant = "seams-" + UUID.randomUUID().toString().substring(0, 8);
        completed = completedGeneration(submit(tenant, """
                {"endpoint_id": "%s", "input": {"prompt": "a lighthouse at dusk", "duration": "5"}}""".formatted(T2V)));
    }

    @AfterAll
    static void stopStack() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void aVideoIsServedForItsSignedLinkOnlyNeverForAHeader() throws Exception {
        String id = completed.path("id").asText();
        String signed = completed.path("video").path("url").asText();
        assertThat(signed).contains("sig=").contains("expires=");

        HttpResponse<byte[]> video = getBytes(signed, "Range", "bytes=0-99");
        assertThat(video.statusCode()).isEqualTo(206);
        assertThat(video.body()).hasSize(100);

        String bare = stack.url(STORAGE) + "/v1/videos/" + id;
        HttpResponse<String> forged = get(bare, "X-Tenant-Id", tenant);
        assertThat(forged.statusCode()).as("a header names no tenant").isEqualTo(403);
        assertThat(get(signed.replaceAll("sig=[^&]+", "sig=AAAA"), null, null).statusCode()).isEqualTo(403);
        // Another id under this link's signature: the same 403, whether the video exists or not.
        HttpResponse<String> elsewhere = get(signed.replace(id, "gen-does-not-exist"), null, null);
        assertThat(elsewhere.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(elsewhere.body()).path("detail")).isEqualTo(JSON.readTree(forged.body()).path("detail"));

        // The authenticated route of request-service serves the same bytes.
        HttpResponse<byte[]> proxied = getBytes(stack.url(REQUEST) + "/v1/videos/" + id + "/content", "X-Tenant-Id", tenant);
        assertThat(proxied.statusCode()).isEqualTo(200);
        assertThat(proxied.body()).hasSize(completed.path("video").path("bytes").asInt());
        assertThat(getBytes(stack.url(REQUEST) + "/v1/videos/" + id + "/content", "X-Tenant-Id", "someone-else")
                .statusCode()).isEqualTo(404);
    }

    @Test
    void storagesAdminRoutesNeedTheAdminToken() {
        String dryRun = stack.url(STORAGE) + "/v1/retention/dry-run?days=0&limit=10";
        assertThat(get(dryRun, null, null).statusCode()).isEqualTo(401);
        assertThat(get(dryRun, "Authorization", "Bearer not-the-token").statusCode()).isEqualTo(401);
        assertThat(get(dryRun, "Authorization", "Bearer " + stack.adminToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void aRemixCompletesBecauseFalFetchesTheSignedLinkOfTheSource() {
        String id = completed.path("id").asText();
        HttpResponse<String> remix = post(stack.url(REQUEST) + "/v1/videos/" + id + "/remix",
                "{\"prompt\": \"the same, in winter\"}", tenant);
        assertThat(remix.statusCode()).as(remix.body()).isEqualTo(200);
        JsonNode done = completedGeneration(read(remix.body()).path("id").asText());
        assertThat(done.path("endpoint_id").asText()).isEqualTo(REMIX);

        JsonNode atFal = falRequests(REMIX).get(0);
        assertThat(atFal.path("input_fetches")).singleElement().satisfies(fetch -> {
            assertThat(fetch.path("field").asText()).isEqualTo("video_url");
            assertThat(fetch.path("http_status").asInt()).isEqualTo(200);
        });
    }

    @Test
    void aHugePromptIsRefusedAndTheNextRequestStillCompletes() {
        String prompt = "p".repeat(5_000_000);
        HttpResponse<String> refused = post(stack.url(REQUEST) + "/v1/generations", """
                {"endpoint_id": "%s", "input": {"prompt": "%s", "duration": "5"}}""".formatted(T2V, prompt), tenant);
        assertThat(refused.statusCode()).isIn(413, 422);
        assertThat(refused.body()).hasSizeLessThan(4096).doesNotContain("ppppp");

        JsonNode next = completedGeneration(submit(tenant, """
                {"endpoint_id": "%s", "input": {"prompt": "after the flood", "duration": "5"}}""".formatted(T2V)));
        assertThat(next.path("status").asText()).isEqualTo("completed");
    }

    @Test
    void aThreeMegabyteInlineImageCompletesAndItsEventStaysSmall() throws Exception {
        byte[] png = noise(1000, 1000);
        assertThat(png.length).isGreaterThan(2_900_000);
        ObjectNode body = JSON.createObjectNode().put("endpoint_id", I2V);
        body.putObject("input").put("prompt", "bring the noise to life").put("duration", "5")
                .put("start_image_url", "data:image/png;base64," + Base64.getEncoder().encodeToString(png));
        String id = submit(tenant, body.toString());

        JsonNode done = completedGeneration(id);
        assertThat(done.path("status").asText()).isEqualTo("completed");
        JsonNode fetch = falRequests(I2V).get(0).path("input_fetches").get(0);
        assertThat(fetch.path("http_status").asInt()).as("fal fetched the stored image by its link").isEqualTo(200);
        assertThat(fetch.path("bytes").asLong()).isEqualTo(png.length);

        String requested = requestedEvent(id);
        assertThat(requested.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThan(64 * 1024);
        assertThat(requested).doesNotContain("data:image");
    }

    @Test
    void aTenantSeesItsOwnMoneyAndNotAnothersThroughRequestService() {
        HttpResponse<String> usage = get(stack.url(REQUEST) + "/v1/usage", "X-Tenant-Id", tenant);
        assertThat(usage.statusCode()).as(usage.body()).isEqualTo(200);
        assertThat(read(usage.body()).path("tenant_id").asText()).isEqualTo(tenant);

        String ownLedger = stack.url(REQUEST) + "/v1/ledger?generationId=" + completed.path("id").asText();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(read(get(ownLedger, "X-Tenant-Id", tenant)
                .body()).path("data")).extracting(e -> e.path("kind").asText()).containsExactly("RESERVE", "SETTLE"));
        assertThat(get(ownLedger, "X-Tenant-Id", "another-tenant").statusCode()).isEqualTo(404);
    }

    // --- helpers ------------------------------------------------------------------------------

    private static String submit(String tenantId, String body) {
        HttpResponse<String> accepted = post(stack.url(REQUEST) + "/v1/generations", body, tenantId);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return read(accepted.body()).path("id").asText();
    }

    /** The generation once completed and billed (fails on any other end). */
    private static JsonNode completedGeneration(String id) {
        PlatformClient client = new PlatformClient(stack.url(REQUEST), tenant, stack.adminToken());
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> {
            last[0] = client.generation(id);
            return SampleGeneration.isDone(last[0]);
        });
        assertThat(last[0].path("status").asText()).as("%s ended with %s", id, last[0].path("error"))
                .isEqualTo("completed");
        return last[0];
    }

    private static List<JsonNode> falRequests(String endpoint) {
        List<JsonNode> matching = new ArrayList<>();
        new PlatformClient(stack.url(REQUEST), tenant, stack.adminToken())
                .getJson(stack.url(FAL_EMULATOR) + "/_emulator/requests").forEach(r -> {
                    if (r.path("endpoint").asText().equals(endpoint)) {
                        matching.add(r);
                    }
                });
        assertThat(matching).as("requests fal saw for %s", endpoint).isNotEmpty();
        return matching;
    }

    /** The GenerationRequested record of a generation, as it is on the topic. */
    private static String requestedEvent(String generationId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "seams-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("generation-events"));
            String[] found = new String[1];
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (generationId.equals(r.key()) && r.value().contains("\"ai.vidgen.generation.requested\"")) {
                        found[0] = r.value();
                    }
                }
                return found[0] != null;
            });
            return found[0];
        }
    }

    /** A PNG of random pixels: incompressible, so about 3 bytes per pixel. */
    private static byte[] noise(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static HttpResponse<String> post(String url, String body, String tenantId) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("X-Tenant-Id", tenantId).POST(HttpRequest.BodyPublishers.ofString(body)),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url, String header, String value) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (header != null) {
            request.header(header, value);
        }
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> getBytes(String url, String header, String value) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (header != null) {
            request.header(header, value);
        }
        return send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
