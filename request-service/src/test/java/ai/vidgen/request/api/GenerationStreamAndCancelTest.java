package ai.vidgen.request.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.GenerationBilled;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.GenerationSubmitted;
import ai.vidgen.events.VideoArchived;
import ai.vidgen.request.support.BillingStub;
import ai.vidgen.request.support.EventLog;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStub.class)
class GenerationStreamAndCancelTest {

    static final String BODY = "{\"endpoint_id\":\"fal-ai/kling-video/v3/standard/text-to-video\",\"input\":{\"prompt\":\"sse\"}}";
    private static EventLog kafka;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void open() {
        kafka = EventLog.open();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void eventsStreamEveryChangeUntilTheGenerationIsTerminal() throws Exception {
        String tenant = "sse-" + UUID.randomUUID();
        String id = given().header("X-Tenant-Id", tenant).contentType(ContentType.JSON).body(BODY)
                .post("/v1/generations").then().statusCode(202).extract().path("id");
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "v1/generations/" + id + "/events"))
                .header("X-Tenant-Id", tenant).header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60)).build();
        CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> stream = HttpClient.newHttpClient()
                .sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        HttpResponse<java.util.stream.Stream<String>> response = stream.get(20, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));

        GenerationRequested requested = (GenerationRequested) kafka.decode(
                kafka.await(id, "ai.vidgen.generation.requested")).data();
        kafka.publish(
                new GenerationDispatched(id, tenant, requested.spec(), requested.input(), 1, "normal"),
                new GenerationSubmitted(id, tenant, 1, "fal-1"),
                new GenerationCompleted(id, tenant, requested.spec(), 1, "fal-1", "https://v3.fal.media/x.mp4",
                        "video/mp4", 10L, 1_000L),
                new GenerationBilled(id, tenant, 840_000, 168_000, 5, "V3", "STANDARD", false, false, "2026-02"),
                new VideoArchived(id, tenant, "k", "file:///k", "video/mp4", 10, "00", 5_000, 1280, 720, false));

        // The stream ends by itself after the terminal status: collecting all lines returns.
        List<String> data = CompletableFuture.supplyAsync(() -> response.body()
                        .filter(l -> l.startsWith("data:")).toList()).get(40, TimeUnit.SECONDS);
        assertTrue(data.get(0).contains("\"status\":\"queued\""), data.get(0));
        assertTrue(data.get(data.size() - 1).contains("\"status\":\"completed\""), data.toString());
        assertTrue(data.stream().allMatch(l -> l.contains("\"id\":\"" + id + "\"")));

        // Another tenant gets a 404, exactly as for a missing generation, and no stream.
        HttpRequest foreign = HttpRequest.newBuilder(URI.create(base + "v1/generations/" + id + "/events"))
                .header("X-Tenant-Id", "someone-else").timeout(Duration.ofSeconds(20)).build();
        HttpResponse<String> other = HttpClient.newHttpClient().send(foreign, HttpResponse.BodyHandlers.ofString());
        assertEquals(404, other.statusCode());
        assertTrue(!other.body().contains("data:"), other.body());
        // A finished generation cannot be cancelled.
        given().header("X-Tenant-Id", tenant).post("/v1/generations/{id}/cancel", id).then().statusCode(409);
    }
}
