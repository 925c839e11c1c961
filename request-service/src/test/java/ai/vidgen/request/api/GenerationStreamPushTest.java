package ai.vidgen.request.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.GenerationSubmitted;
import ai.vidgen.events.VideoArchived;
import ai.vidgen.request.support.BillingStub;
import ai.vidgen.request.support.EventLog;
import ai.vidgen.request.support.SseClient;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Event streams are pushed from the read model's changes (PostgreSQL NOTIFY), not polled, and
 * capped per tenant ({@code request.sse.max-streams-per-tenant}, 50 here as by default).
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStub.class)
class GenerationStreamPushTest {

    static final String BODY = "{\"endpoint_id\":\"fal-ai/kling-video/v3/standard/text-to-video\",\"input\":{\"prompt\":\"push\"}}";
    static final int PER_TENANT = 50;
    static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EventLog kafka;

    @TestHTTPResource("/")
    URL base;

    @Inject
    Pool pool;

    @BeforeAll
    static void open() {
        kafka = EventLog.open();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void aStreamGetsEachStatusAsItIsFoldedAndEndsAtTheTerminalOne() throws Exception {
        String tenant = "push-" + UUID.randomUUID();
        String id = submit(tenant);
        SseClient.Stream stream = new SseClient(base.toString()).open(tenant, id);
        assertEquals(200, stream.opened().get(30, TimeUnit.SECONDS).statusCode());
        await().atMost(WAIT).until(() -> statuses(stream).contains("queued"));

        GenerationRequested requested = (GenerationRequested) kafka.decode(
                kafka.await(id, "ai.vidgen.generation.requested")).data();
        // One change at a time, each seen on the stream before the next is made.
        kafka.publish(new GenerationDispatched(id, tenant, requested.spec(), requested.input(), 1, "normal"));
        await().atMost(WAIT).until(() -> last(stream).path("timeline").toString().contains("\"dispatched\""));
        kafka.publish(new GenerationSubmitted(id, tenant, 1, "fal-1"));
        await().atMost(WAIT).until(() -> statuses(stream).contains("in_progress"));
        kafka.publish(new GenerationCompleted(id, tenant, requested.spec(), 1, "fal-1", "https://v3.fal.media/x.mp4",
                "video/mp4", 10L, 1_000L));
        await().atMost(WAIT).until(() -> statuses(stream).contains("archiving"));
        assertTrue(!stream.ended(), "the stream stays open until a terminal status");
        kafka.publish(new VideoArchived(id, tenant, "k", "file:///k", "video/mp4", 10, "00", 5_000, 1280, 720, false));

        await().atMost(WAIT).until(stream::ended);
        assertEquals(List.of("queued", "in_progress", "archiving", "completed"),
                statuses(stream).stream().distinct().toList());
        assertEquals("completed", last(stream).path("status").asText(), "the terminal status is the last event");
    }

    @Test
    void overTheTenantsCapA429UntilOneOfItsStreamsCloses() throws Exception {
        String tenant = "cap-" + UUID.randomUUID();
        String id = submit(tenant);
        SseClient client = new SseClient(base.toString());
        List<SseClient.Stream> open = new ArrayList<>();
        for (int i = 0; i < PER_TENANT; i++) {
            open.add(client.open(tenant, id));
        }
        for (SseClient.Stream s : open) {
            assertEquals(200, s.opened().get(60, TimeUnit.SECONDS).statusCode());
        }

        SseClient.Stream refused = client.open(tenant, id);
        HttpResponse.ResponseInfo info = refused.opened().get(30, TimeUnit.SECONDS);
        assertEquals(429, info.statusCode());
        assertEquals("application/problem+json", info.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertEquals("5", info.headers().firstValue("Retry-After").orElse(null));
        await().atMost(WAIT).until(refused::ended);
        JsonNode problem = JSON.readTree(String.join("", refused.lines()));
        assertEquals("urn:vidgen:problem:too-many-streams", problem.path("type").asText());
        assertEquals("tenant_stream_limit", problem.path("reason").asText());
        assertEquals(429, problem.path("status").asInt());

        // The cap is the tenant's: another tenant still gets its stream meanwhile.
        String other = "cap-other-" + UUID.randomUUID();
        SseClient.Stream others = client.open(other, submit(other));
        assertEquals(200, others.opened().get(30, TimeUnit.SECONDS).statusCode());
        others.close();

        // A client going away frees its place: a new stream is accepted once the server saw it go.
        open.remove(0).close();
        await().atMost(WAIT).until(() -> {
            SseClient.Stream again = client.open(tenant, id);
            int status = again.opened().get(30, TimeUnit.SECONDS).statusCode();
            if (status == 200) {
                open.add(again);
            }
            return status == 200;
        });
        await().atMost(WAIT).until(() -> !open.get(open.size() - 1).data().isEmpty());
        open.forEach(SseClient.Stream::close);
    }

    @Test
    void aMissingOrForeignGenerationIsA404BeforeAnyStreamStarts() throws Exception {
        String tenant = "push-" + UUID.randomUUID();
        String id = submit(tenant);
        SseClient client = new SseClient(base.toString());
        for (SseClient.Stream s : List.of(client.open("someone-else", id), client.open(tenant, UUID.randomUUID().toString()))) {
            HttpResponse.ResponseInfo info = s.opened().get(30, TimeUnit.SECONDS);
            assertEquals(404, info.statusCode());
            await().atMost(WAIT).until(s::ended);
            assertEquals("urn:vidgen:problem:not-found", JSON.readTree(String.join("", s.lines())).path("type").asText());
        }
    }

    @Test
    void changesMissedWhileTheListenConnectionWasDownAreReadWhenItIsBack() throws Exception {
        String tenant = "relisten-" + UUID.randomUUID();
        String id = submit(tenant);
        SseClient.Stream stream = new SseClient(base.toString()).open(tenant, id);
        assertEquals(200, stream.opened().get(30, TimeUnit.SECONDS).statusCode());
        await().atMost(WAIT).until(() -> statuses(stream).contains("queued"));
        // Our own GenerationRequested comes back and is folded (announced); only then is it quiet.
        awaitFolded(List.of(id));

        // A change nobody announces, as one committed while the listener was disconnected...
        pool.preparedQuery("UPDATE generations SET status = 'in_progress' WHERE id = $1").execute(Tuple.of(id))
                .await().atMost(WAIT);
        // ...then the listener's connection breaks: once it listens again it reads what it follows.
        int terminated = pool.query("""
                        SELECT pg_terminate_backend(pid) AS gone FROM pg_stat_activity
                        WHERE datname = current_database() AND application_name = 'request-service change listener'""")
                .execute().await().atMost(WAIT).size();
        assertEquals(1, terminated, "one LISTEN connection per replica");
        await().atMost(WAIT).until(() -> statuses(stream).contains("in_progress"));

        // And it listens again: the next announced change arrives too.
        given().header("X-Tenant-Id", tenant).post("/v1/generations/{id}/cancel", id).then().statusCode(202);
        await().atMost(WAIT).until(() -> last(stream).path("timeline").toString().contains("\"cancel_requested\""));
        stream.close();
    }

    /**
     * 500 open streams cost the database nothing while their generations do not change (the old
     * per-stream polling made two queries per stream every 500 ms, about 2000 a second here), the
     * front door keeps accepting requests, and each stream still gets its generation's change.
     */
    @Test
    void fiveHundredOpenStreamsDoNotLoadTheDatabaseOrTheFrontDoor() throws Exception {
        int tenants = 10;
        int generationsPerTenant = 5;
        int streamsPerGeneration = 10;
        SseClient client = new SseClient(base.toString());
        List<String[]> followed = new ArrayList<>();
        List<List<SseClient.Stream>> streamsByGeneration = new ArrayList<>();
        for (int t = 0; t < tenants; t++) {
            String tenant = "many-" + t + "-" + UUID.randomUUID();
            for (int g = 0; g < generationsPerTenant; g++) {
                String id = submit(tenant);
                followed.add(new String[] {tenant, id});
                List<SseClient.Stream> streams = new ArrayList<>();
                for (int s = 0; s < streamsPerGeneration; s++) {
                    streams.add(client.open(tenant, id));
                }
                streamsByGeneration.add(streams);
            }
        }
        List<SseClient.Stream> all = streamsByGeneration.stream().flatMap(List::stream).toList();
        assertEquals(500, all.size());
        for (SseClient.Stream s : all) {
            assertEquals(200, s.opened().get(120, TimeUnit.SECONDS).statusCode());
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> all.stream().noneMatch(s -> s.data().isEmpty()));
        // Our own GenerationRequested events come back from Kafka and are folded: let that settle first.
        awaitFolded(followed.stream().map(g -> g[1]).toList());

        // While nothing changes, the database sees only the service's own background work (outbox
        // relay, webhook worker: a few transactions a second), not a query per stream.
        long before = committedTransactions();
        await().pollInterval(Duration.ofSeconds(1)).during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8))
                .untilAsserted(() -> {
                    long committed = committedTransactions() - before;
                    assertTrue(committed < 250, committed + " transactions with 500 streams open and nothing changing");
                });

        // The front door still answers a burst of requests as usual.
        for (int i = 0; i < 20; i++) {
            given().header("X-Tenant-Id", "burst-" + UUID.randomUUID()).contentType(ContentType.JSON).body(BODY)
                    .post("/v1/generations").then().statusCode(202);
        }

        // And every stream gets its generation's next change.
        for (String[] generation : followed) {
            given().header("X-Tenant-Id", generation[0]).post("/v1/generations/{id}/cancel", generation[1])
                    .then().statusCode(202);
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> all.stream()
                .allMatch(s -> last(s).path("timeline").toString().contains("\"cancel_requested\"")));
        assertTrue(all.stream().noneMatch(SseClient.Stream::ended));
        all.forEach(SseClient.Stream::close);
    }

    /** Transactions committed in this test's database so far (PostgreSQL's statistics, flushed about every second). */
    private long committedTransactions() {
        Row row = pool.query("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
                .execute().await().atMost(WAIT).iterator().next();
        return row.getLong("xact_commit");
    }

    /** Waits until the read model has folded the GenerationRequested of each generation (its dedup key is stored). */
    private void awaitFolded(List<String> ids) {
        await().atMost(WAIT).until(() -> pool.preparedQuery("""
                        SELECT count(*) AS folded FROM processed_events
                        WHERE generation_id = ANY($1) AND event_type = 'ai.vidgen.generation.requested'""")
                .execute(Tuple.of(ids.toArray(String[]::new))).await().atMost(WAIT).iterator().next()
                .getLong("folded") == ids.size());
    }

    private String submit(String tenant) {
        return given().header("X-Tenant-Id", tenant).contentType(ContentType.JSON).body(BODY)
                .post("/v1/generations").then().statusCode(202).extract().path("id");
    }

    private static List<String> statuses(SseClient.Stream stream) {
        return events(stream).stream().map(e -> e.path("status").asText()).toList();
    }

    private static JsonNode last(SseClient.Stream stream) {
        List<JsonNode> events = events(stream);
        return events.isEmpty() ? JSON.createObjectNode() : events.get(events.size() - 1);
    }

    private static List<JsonNode> events(SseClient.Stream stream) {
        List<JsonNode> events = new ArrayList<>();
        for (String line : stream.data()) {
            try {
                events.add(JSON.readTree(line.substring("data:".length())));
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }
        return events;
    }
}
