package ai.vidgen.request.urlpolicy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.request.support.BillingStub;
import ai.vidgen.testsupport.net.LoopbackServer;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reference-video probe of motion control, seen from the outside: what reaches a server on
 * this machine when a user names a video URL (127.0.0.1 is a dev host in the tests; localhost is
 * not).
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStub.class)
class ReferenceVideoProbeTest {

    private static final String MC = "fal-ai/kling-video/v3/standard/motion-control";

    @ConfigProperty(name = "request.url-policy.probe-timeout")
    Duration probeTimeout;

    @Inject
    ReplaceableHostResolver resolver;

    @AfterEach
    void restoreDns() {
        resolver.restore();
    }

    @Test
    void aVideoHostThatRebindsToLoopbackIsNeverConnectedTo() {
        try (LoopbackServer server = LoopbackServer.answering(206, "Content-Range: bytes 0-0/1")) {
            // Public for the intake's check and for the probe's own lookup; loopback for anyone asking again.
            RebindingResolver dns = new RebindingResolver("localhost", 2);
            resolver.use(dns);

            post("image", "https://localhost:" + server.port() + "/14s.mp4").statusCode(202);

            assertEquals(0, server.connections(), "no connection to the loopback server");
            assertEquals(2, dns.lookups(), "the intake's check, then one lookup by the probe");
        }
    }

    @Test
    void aRedirectToALoopbackNameIsNotFollowed() {
        try (LoopbackServer target = LoopbackServer.answering(206, "Content-Range: bytes 0-0/1");
                LoopbackServer origin = LoopbackServer.answering(302,
                        "Location: http://localhost:" + target.port() + "/14s.mp4")) {
            post("image", "http://127.0.0.1:" + origin.port() + "/14s.mp4").statusCode(202);

            assertTrue(origin.connections() >= 1, "the probe asked the first host");
            assertEquals(0, target.connections(), "the redirect to a loopback name was refused");
        }
    }

    @Test
    void aProbeOfAStallingServerEndsAtTheTimeoutAndClosesItsConnection() {
        // A 206 that promises 4 kB and sends 8 bytes, then nothing.
        try (LoopbackServer server = LoopbackServer.stalling("HTTP/1.1 206 Partial Content\r\n"
                + "Content-Range: bytes 0-4095/100000\r\nContent-Length: 4096\r\n\r\n\0\0\0\u0018ftyp")) {
            long started = System.nanoTime();
            post("image", "http://127.0.0.1:" + server.port() + "/slow.mp4").statusCode(202);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertTrue(took.compareTo(probeTimeout.plusSeconds(5)) < 0, "answered after " + took);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.closedByClient() == 1);
        }
    }

    private static ValidatableResponse post(String orientation, String video) {
        return given().header("X-Tenant-Id", "probe-" + UUID.randomUUID()).contentType(ContentType.JSON)
                .body("{\"endpoint_id\":\"" + MC + "\",\"input\":{\"image_url\":\"https://cdn.example.com/c.png\","
                        + "\"video_url\":\"" + video + "\",\"character_orientation\":\"" + orientation + "\"}}")
                .post("/v1/generations").then();
    }
}
