package ai.vidgen.dispatcher.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.Topics;
import ai.vidgen.events.envelope.CloudEvent;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.events.envelope.UndecodableEventException;
import ai.vidgen.testsupport.infra.FreePorts;
import ai.vidgen.testsupport.infra.KafkaBroker;
import ai.vidgen.testsupport.infra.PostgresServer;
import ai.vidgen.testsupport.infra.QuarkusApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the packaged service ({@code target/quarkus-app}) on one database and one
 * consumer group, with a global limit of 3. The test plays fal (completes what it sees dispatched,
 * one at a time) and billing (a JDK HTTP server that grants every reservation carrying the service
 * token the replicas get from {@code VIDGEN_AUTH_SERVICE_TOKENS}, and refuses others with 401). The
 * queue view answers only the operator's token ({@code VIDGEN_AUTH_ADMIN_TOKENS}). Midway one replica
 * is killed with SIGKILL and started again. Throughout, no more than 3 generations are in flight
 * (checked both on the topic and in the table), and every generation is dispatched once (one
 * attempt; a re-published event after the kill carries the same CloudEvent id).
 */
class TwoReplicasIT {

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path LOGS = MODULE.resolve("target/it-logs");
    private static final String DATABASE = "vidgen_dispatcher_it";
    private static final int LIMIT = 3;
    private static final int GENERATIONS = 40;
    private static final EventCodec REQUEST_SERVICE = new EventCodec("/vidgen/request-service");
    private static final EventCodec FAL_ADAPTER = new EventCodec("/vidgen/fal-adapter");

    private static PostgresServer postgres;
    private static KafkaBroker kafka;
    private static HttpServer billing;
    private static final AtomicInteger RESERVATIONS = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();
    /** The replicas send the first of their service tokens; the second is an older one still accepted. */
    private static final String SERVICE_TOKEN = "it-service-" + UUID.randomUUID();
    private static final String ADMIN_TOKEN = "it-admin-" + UUID.randomUUID();

    @BeforeAll
    static void start() throws IOException {
        postgres = PostgresServer.startThrowaway();
        postgres.ensureDatabase(DATABASE);
        kafka = KafkaBroker.startThrowaway(3);
        billing = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.allocate()), 0);
        billing.createContext("/v1/reservations", exchange -> {
            if (!("Bearer " + SERVICE_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                REFUSED.incrementAndGet();
                exchange.getRequestBody().readAllBytes();
                byte[] problem = ("{\"type\":\"urn:vidgen:problem:unauthorized\",\"title\":\"Unauthorized\","
                        + "\"status\":401}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
                exchange.sendResponseHeaders(401, problem.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(problem);
                }
                return;
            }
            JsonNode body = EventCodec.mapper().readTree(exchange.getRequestBody());
            RESERVATIONS.incrementAndGet();
            int seconds = body.path("spec").path("seconds").asInt();
            byte[] answer = EventCodec.mapper().createObjectNode()
                    .put("generationId", body.path("generationId").asText())
                    .put("amountMicros", seconds * 84_000L).put("rateMicrosPerSecond", 84_000L)
                    .put("seconds", seconds).put("priceBookVersion", "it-2026-02")
                    .toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        billing.start();
    }

    @AfterAll
    static void stop() {
        if (billing != null) {
            billing.stop(0);
        }
        for (AutoCloseable c : new AutoCloseable[] {kafka, postgres}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @Test
    void twoReplicasKeepTheGlobalLimitAndDispatchEachGenerationOnceAcrossARestart() throws Exception {
        List<String> ids = IntStream.range(0, GENERATIONS).mapToObj(i -> "gen" + i + "-" + UUID.randomUUID()).toList();
        Map<String, String> env = environment();
        try (KafkaCompanion companion = new KafkaCompanion(kafka.bootstrapServers());
             Connection db = DriverManager.getConnection(postgres.jdbcUrl(DATABASE), postgres.user(),
                     postgres.password())) {
            companion.topics().createAndWait(Topics.GENERATION_EVENTS, 3, Duration.ofSeconds(30));
            ConsumerTask<String, String> probe = companion.consumeStrings().withGroupId("probe-" + UUID.randomUUID())
                    .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(Topics.GENERATION_EVENTS);
            QuarkusApp a = QuarkusApp.start("dispatcher-a", MODULE, FreePorts.allocate(), env, LOGS, "256m");
            QuarkusApp b = QuarkusApp.start("dispatcher-b", MODULE, FreePorts.allocate(), env, LOGS, "256m");
            java.util.concurrent.atomic.AtomicReference<QuarkusApp> restartedA =
                    new java.util.concurrent.atomic.AtomicReference<>();
            try {
                List<ProducerRecord<String, String>> requests = new ArrayList<>();
                for (int i = 0; i < ids.size(); i++) {
                    requests.add(record(REQUEST_SERVICE, requested(ids.get(i), i % 2 == 0 ? "tenant-a" : "tenant-b")));
                }
                companion.produceStrings().fromRecords(requests).awaitCompletion(Duration.ofSeconds(60));

                Set<String> completed = new HashSet<>();
                AtomicInteger maxSeen = new AtomicInteger();
                AtomicInteger maxInTable = new AtomicInteger();
                // Play fal: complete one in-flight generation per poll, checking the limit each time.
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    if (completed.size() >= 15 && a.process().isAlive()) {
                        a.process().kill();
                    }
                    if (completed.size() >= 25 && restartedA.get() == null) {
                        restartedA.set(QuarkusApp.start("dispatcher-a-restarted", MODULE, FreePorts.allocate(), env,
                                LOGS, "256m"));
                    }
                    Set<String> inFlight = new LinkedHashSet<>(dispatched(probe, ids).keySet());
                    inFlight.removeAll(completed);
                    maxSeen.accumulateAndGet(inFlight.size(), Math::max);
                    maxInTable.accumulateAndGet(inFlightInTable(db), Math::max);
                    assertEquals(0, REFUSED.get(), "billing refused reservations without the service token");
                    assertTrue(inFlight.size() <= LIMIT, "in flight on the topic: " + inFlight);
                    assertTrue(maxInTable.get() <= LIMIT, "in flight in the table: " + maxInTable.get());
                    if (!inFlight.isEmpty()) {
                        String next = inFlight.iterator().next();
                        companion.produceStrings().fromRecords(record(FAL_ADAPTER, new GenerationCompleted(next,
                                "tenant", null, 1, "fal-" + next, "https://v3.fal.media/files/" + next + ".mp4",
                                "video/mp4", 1_000L, 42_000L))).awaitCompletion(Duration.ofSeconds(30));
                        completed.add(next);
                    }
                    return completed.size() == ids.size();
                });

                Map<String, List<DecodedEvent>> dispatched = dispatched(probe, ids);
                for (String id : ids) {
                    Set<String> eventIds = new HashSet<>();
                    for (DecodedEvent e : dispatched.get(id)) {
                        eventIds.add(e.envelope().id());
                        assertEquals(1, ((GenerationDispatched) e.data()).attempt(), id);
                    }
                    assertEquals(Set.of(id + ":dispatched:1"), eventIds, id + " dispatched more than once");
                }
                assertEquals(LIMIT, maxSeen.get(), "the limit was reached (the test exercised it)");
                await().atMost(Duration.ofSeconds(30)).until(() -> inFlightInTable(db) == 0);
                assertTrue(b.process().logContains("dispatched gen"), "replica b dispatched");
                assertTrue(a.process().logContains("dispatched gen")
                        || restartedA.get().process().logContains("dispatched gen"), "replica a dispatched");
                assertTrue(RESERVATIONS.get() >= GENERATIONS);
                assertEquals(0, REFUSED.get());
                // The queue view is the operator's: 401 without the token, or with the service token.
                assertEquals(401, status(b, null));
                assertEquals(401, status(b, SERVICE_TOKEN));
                assertEquals(200, status(b, ADMIN_TOKEN));
            } finally {
                probe.stop();
                for (QuarkusApp app : new QuarkusApp[] {restartedA.get(), b, a}) {
                    if (app != null) {
                        app.close();
                    }
                }
            }
        }
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(DATABASE));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(DATABASE));
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.user());
        env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        env.put("QUARKUS_REST_CLIENT_BILLING_URL", "http://127.0.0.1:" + billing.getAddress().getPort());
        env.put("VIDGEN_AUTH_SERVICE_TOKENS", SERVICE_TOKEN + ",it-service-older");
        env.put("VIDGEN_AUTH_ADMIN_TOKENS", "it-admin-older," + ADMIN_TOKEN);
        env.put("DISPATCHER_MAX_IN_FLIGHT", Integer.toString(LIMIT));
        env.put("DISPATCHER_PASS_INTERVAL", "300ms");
        return env;
    }

    private static int status(QuarkusApp app, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUrl() + "/v1/queue")).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int inFlightInTable(Connection db) throws SQLException {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM generation_queue WHERE status = 'DISPATCHED'")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("does not exist")) {
                return 0; // not migrated yet
            }
            throw e;
        }
    }

    private static Map<String, List<DecodedEvent>> dispatched(ConsumerTask<String, String> probe, List<String> ids) {
        Set<String> wanted = new HashSet<>(ids);
        Map<String, List<DecodedEvent>> byId = new java.util.LinkedHashMap<>();
        for (ConsumerRecord<String, String> r : probe.getRecords()) {
            if (!wanted.contains(r.key())) {
                continue;
            }
            try {
                DecodedEvent e = EventCodec.decode(r.value());
                if (e.data() instanceof GenerationDispatched) {
                    byId.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(e);
                }
            } catch (UndecodableEventException ignored) {
                // none are expected
            }
        }
        return byId;
    }

    private static GenerationRequested requested(String id, String tenant) {
        ObjectNode input = EventCodec.mapper().createObjectNode().put("prompt", "a kite over a beach").put("duration", "5");
        return new GenerationRequested(id, tenant, new GenerationSpec("fal-ai/kling-video/v3/standard/text-to-video", 5,
                false, false), input, "interactive", null, Instant.now());
    }

    private static ProducerRecord<String, String> record(EventCodec codec, GenerationEvent event) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(Topics.GENERATION_EVENTS, null, event.generationId(), codec.encode(event), headers);
    }
}
