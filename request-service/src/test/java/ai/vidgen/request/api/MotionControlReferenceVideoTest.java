package ai.vidgen.request.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import ai.vidgen.request.support.BillingStub;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Motion control's reference-video limits (10 s with character_orientation image, 30 s with
 * video), read from real MP4 boxes served with HTTP Range by a local server (127.0.0.1 is a dev
 * host in the tests). The moov box sits after mdat, as in a file that was not "fast-started".
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStub.class)
class MotionControlReferenceVideoTest {

    private static final String MC = "fal-ai/kling-video/v3/standard/motion-control";
    private static HttpServer media;

    @BeforeAll
    static void start() throws IOException {
        media = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        media.createContext("/", MotionControlReferenceVideoTest::serve);
        media.start();
    }

    @AfterAll
    static void stop() {
        media.stop(0);
    }

    @Test
    void aFourteenSecondVideoIsTooLongForOrientationImageButFineForVideo() {
        String video = url("/14s.mp4");
        post("image", video).statusCode(422)
                .body("errors[0].pointer", equalTo("/input/video_url"))
                .body("errors[0].detail", equalTo("the reference video lasts 14.0 s; with character_orientation "
                        + "\"image\" it may last at most 10 s (\"video\" allows up to 30 s)"));
        post("video", video).statusCode(202);
    }

    @Test
    void aThirtyFiveSecondVideoIsTooLongForEither() {
        post("video", url("/35s.mp4")).statusCode(422)
                .body("errors[0].detail", equalTo("the reference video lasts 35.0 s; with character_orientation "
                        + "\"video\" it may last at most 30 s; trim the video"));
        post("image", url("/8s.mp4")).statusCode(202);
    }

    @Test
    void aVideoWhoseLengthCannotBeReadIsLeftToFal() {
        post("image", url("/not-an-mp4.mp4")).statusCode(202);
    }

    private static io.restassured.response.ValidatableResponse post(String orientation, String video) {
        return given().header("X-Tenant-Id", "mc-" + UUID.randomUUID()).contentType(ContentType.JSON)
                .body("{\"endpoint_id\":\"" + MC + "\",\"input\":{\"image_url\":\"https://cdn.example.com/c.png\","
                        + "\"video_url\":\"" + video + "\",\"character_orientation\":\"" + orientation + "\"}}")
                .post("/v1/generations").then();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + media.getAddress().getPort() + path;
    }

    private static void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] file = switch (path) {
            case "/14s.mp4" -> mp4(14_000, 1000);
            case "/35s.mp4" -> mp4(35 * 90_000L, 90_000);
            case "/8s.mp4" -> mp4(8_000, 1000);
            default -> "plain text, not a video".getBytes(StandardCharsets.UTF_8);
        };
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range == null || !range.startsWith("bytes=")) {
            exchange.sendResponseHeaders(200, file.length);
            exchange.getResponseBody().write(file);
            exchange.close();
            return;
        }
        String[] bounds = range.substring(6).split("-");
        int from = (int) Math.min(Long.parseLong(bounds[0]), file.length);
        int to = (int) Math.min(Long.parseLong(bounds[1]), file.length - 1L);
        byte[] part = from > to ? new byte[0] : Arrays.copyOfRange(file, from, to + 1);
        exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + file.length);
        exchange.sendResponseHeaders(206, part.length == 0 ? -1 : part.length);
        exchange.getResponseBody().write(part);
        exchange.close();
    }

    /** ftyp, a 4 kB mdat, then moov with an mvhd (version 0) giving the duration. */
    static byte[] mp4(long duration, int timescale) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(box("ftyp", "isom\0\0\2\0isommp41".getBytes(StandardCharsets.US_ASCII)));
        out.writeBytes(box("mdat", new byte[4096]));
        ByteBuffer mvhd = ByteBuffer.allocate(100);
        mvhd.putInt(0);            // version 0, flags
        mvhd.putInt(0).putInt(0);  // creation, modification
        mvhd.putInt(timescale);
        mvhd.putInt((int) duration);
        out.writeBytes(box("moov", box("mvhd", mvhd.array())));
        return out.toByteArray();
    }

    private static byte[] box(String type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.putInt(8 + payload.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(payload);
        return b.array();
    }
}
