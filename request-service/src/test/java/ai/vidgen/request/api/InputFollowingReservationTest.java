package ai.vidgen.request.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vidgen.events.GenerationRequested;
import ai.vidgen.request.support.BillingStub;
import ai.vidgen.request.support.EventLog;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Motion control and video-to-video make an output as long as their input video, and fal bills
 * that output: the quote, the stored spec and the event the dispatcher reserves from carry the
 * input's length (rounded up), or the endpoint's longest output when the length cannot be read,
 * never the 5 s default of a requested duration. The MP4s are real boxes served with HTTP Range by
 * a local server (127.0.0.1 is a dev host in the tests). The billing stub prices standard silent
 * video at $0.168/s.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStub.class)
class InputFollowingReservationTest {

    private static final String MOTION = "fal-ai/kling-video/v3/standard/motion-control";
    private static final String EDIT = "fal-ai/kling-video/o3/standard/video-to-video/edit";
    private static final long STANDARD_SILENT_RATE = 168_000;
    private static HttpServer media;
    private static EventLog kafka;

    @BeforeAll
    static void start() throws IOException {
        media = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        media.createContext("/", InputFollowingReservationTest::serve);
        media.start();
        kafka = EventLog.open();
    }

    @AfterAll
    static void stop() {
        media.stop(0);
        kafka.close();
    }

    @Test
    void aThirtySecondMotionControlInputReservesThirtySeconds() {
        String tenant = tenant();
        String id = submit(tenant, motion("video", url("/30s.mp4")), false).statusCode(202)
                .body("estimate.seconds", equalTo(30))
                .body("estimate.amount_micros", equalTo((int) (30 * STANDARD_SILENT_RATE)))
                .extract().path("id");

        assertEquals(30, requested(id).spec().seconds(), "the seconds the dispatcher reserves");
        given().header("X-Tenant-Id", tenant).get("/v1/generations/{id}", id).then().statusCode(200)
                .body("spec.seconds", equalTo(30)).body("estimate.seconds", equalTo(30));
    }

    @Test
    void aLengthIsRoundedUpToWholeSecondsAsFalBills() {
        String id = submit(tenant(), edit(url("/7.3s.mp4")), false).statusCode(202)
                .body("estimate.seconds", equalTo(8)).extract().path("id");
        assertEquals(8, requested(id).spec().seconds());
    }

    @Test
    void anUnreadableInputReservesTheEndpointsLongestOutput() {
        String image = submit(tenant(), motion("image", url("/not-an-mp4.mp4")), false).statusCode(202)
                .body("estimate.seconds", equalTo(10)).extract().path("id");
        assertEquals(10, requested(image).spec().seconds());

        String video = submit(tenant(), motion("video", url("/not-an-mp4.mp4")), false).statusCode(202)
                .body("estimate.seconds", equalTo(30)).extract().path("id");
        assertEquals(30, requested(video).spec().seconds());

        // A server that never answers: the probe gives up after request.url-policy.probe-timeout.
        String edit = submit(tenant(), edit(url("/hangs.mp4")), false).statusCode(202)
                .body("estimate.seconds", equalTo(10)).extract().path("id");
        assertEquals(10, requested(edit).spec().seconds());
    }

    @Test
    void aDryRunQuotesTheLongestOutputItWouldReserveWithoutReadingTheVideo() {
        int probesBefore = probes.get();
        submit(tenant(), motion("video", url("/30s.mp4")), true).statusCode(200)
                .body("spec.seconds", equalTo(30))
                .body("estimate.seconds", equalTo(30))
                .body("estimate.amount_micros", equalTo((int) (30 * STANDARD_SILENT_RATE)));
        submit(tenant(), motion("image", url("/8s.mp4")), true).statusCode(200)
                .body("spec.seconds", equalTo(10)).body("estimate.seconds", equalTo(10));
        submit(tenant(), edit(url("/7.3s.mp4")), true).statusCode(200)
                .body("spec.seconds", equalTo(10)).body("estimate.seconds", equalTo(10));
        assertEquals(probesBefore, probes.get(), "a dry run makes no call to the user's host");
    }

    @Test
    void anInlineVideoIsMeasuredFromItsBytes() {
        String inline = "data:video/mp4;base64," + Base64.getEncoder().encodeToString(
                MotionControlReferenceVideoTest.mp4(12_500, 1000));
        String id = submit(tenant(), edit(inline), false).statusCode(202)
                .body("estimate.seconds", equalTo(13)).extract().path("id");
        assertEquals(13, requested(id).spec().seconds());
    }

    private static final java.util.concurrent.atomic.AtomicInteger probes = new java.util.concurrent.atomic.AtomicInteger();

    private GenerationRequested requested(String id) {
        return (GenerationRequested) kafka.decode(kafka.await(id, "ai.vidgen.generation.requested")).data();
    }

    private static String tenant() {
        return "reserve-" + UUID.randomUUID();
    }

    private static String motion(String orientation, String video) {
        return "{\"endpoint_id\":\"" + MOTION + "\",\"input\":{\"image_url\":\"https://cdn.example.com/c.png\","
                + "\"video_url\":\"" + video + "\",\"character_orientation\":\"" + orientation + "\"}}";
    }

    private static String edit(String video) {
        return "{\"endpoint_id\":\"" + EDIT + "\",\"input\":{\"prompt\":\"make it snow\",\"video_url\":\""
                + video + "\"}}";
    }

    private static ValidatableResponse submit(String tenant, String body, boolean dryRun) {
        return given().header("X-Tenant-Id", tenant).contentType(ContentType.JSON).queryParam("dry_run", dryRun)
                .body(body).post("/v1/generations").then();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + media.getAddress().getPort() + path;
    }

    private static void serve(HttpExchange exchange) throws IOException {
        probes.incrementAndGet();
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/hangs.mp4")) {
            // Headers promised, no body: the probe must give up on its own.
            exchange.getResponseHeaders().set("Content-Range", "bytes 0-4095/100000");
            exchange.sendResponseHeaders(206, 4096);
            return;
        }
        byte[] file = switch (path) {
            case "/30s.mp4" -> MotionControlReferenceVideoTest.mp4(30 * 600, 600);
            case "/8s.mp4" -> MotionControlReferenceVideoTest.mp4(8_000, 1000);
            case "/7.3s.mp4" -> MotionControlReferenceVideoTest.mp4(7_300, 1000);
            default -> "plain text, not a video".getBytes(StandardCharsets.UTF_8);
        };
        String range = exchange.getRequestHeaders().getFirst("Range");
        String[] bounds = range == null ? new String[] {"0", Integer.toString(file.length - 1)}
                : range.substring("bytes=".length()).split("-");
        int from = (int) Math.min(Long.parseLong(bounds[0]), file.length);
        int to = (int) Math.min(Long.parseLong(bounds[1]), file.length - 1L);
        byte[] part = from > to ? new byte[0] : Arrays.copyOfRange(file, from, to + 1);
        exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + file.length);
        exchange.sendResponseHeaders(206, part.length == 0 ? -1 : part.length);
        exchange.getResponseBody().write(part);
        exchange.close();
    }
}
