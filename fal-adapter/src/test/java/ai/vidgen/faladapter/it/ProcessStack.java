package ai.vidgen.faladapter.it;

import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.Topics;
import ai.vidgen.events.envelope.CloudEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.testsupport.infra.FreePorts;
import ai.vidgen.testsupport.infra.KafkaBroker;
import ai.vidgen.testsupport.infra.PostgresServer;
import ai.vidgen.testsupport.infra.QuarkusApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The fal path as separate processes, for the failsafe tests and the benchmark: a throwaway
 * Kafka broker and PostgreSQL cluster, the packaged fal emulator, and the PACKAGED fal-adapter
 * (restartable on the same database, port and webhook secret, as a crashed pod would be).
 * {@link #close()} stops every process it started, whatever state they are in.
 */
final class ProcessStack implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATABASE = "fal_adapter_it";

    private final List<AutoCloseable> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final EventCodec dispatcherCodec = new EventCodec("/vidgen/dispatcher-it");
    private final Path logs = Path.of("target", "it-logs").toAbsolutePath();
    private final Map<String, String> adapterEnv = new HashMap<>();
    private final int adapterPort = FreePorts.allocate();
    private final String adapterHeap;
    private KafkaBroker kafka;
    private PostgresServer postgres;
    private QuarkusApp emulator;
    private QuarkusApp adapter;
    private KafkaCompanion companion;
    private ConsumerTask<String, String> events;
    private int adapterStarts;
    private final List<GenerationEvent> decoded = new ArrayList<>();

    /**
     * @param emulatorEnv the emulator's knobs (concurrency, inference time, ...), on top of the defaults here
     * @param adapterOverrides the adapter's, on top of the defaults here
     */
    ProcessStack(Map<String, String> emulatorEnv, Map<String, String> adapterOverrides, String emulatorHeap,
            String adapterHeap) {
        this.adapterHeap = adapterHeap;
        try {
            kafka = KafkaBroker.startThrowaway(3);
            started.add(kafka);
            postgres = PostgresServer.startThrowaway();
            started.add(postgres);
            postgres.ensureDatabase(DATABASE);
            companion = new KafkaCompanion(kafka.bootstrapServers());
            started.add(companion);
            events = companion.consumeStrings().fromTopics(Topics.GENERATION_EVENTS);
            started.add(events::close);

            int emulatorPort = FreePorts.allocate();
            String emulatorUrl = "http://127.0.0.1:" + emulatorPort;
            Map<String, String> env = new HashMap<>();
            env.put("EMULATOR_PUBLIC_BASE_URL", emulatorUrl);
            env.put("EMULATOR_API_KEY", FalEmulatorResource.KEY);
            env.put("EMULATOR_MEDIA_DIR", Path.of("target", "emulator-media").toAbsolutePath().toString());
            env.put("EMULATOR_QUEUE_DELAY", "100ms");
            // fal retries a webhook for hours; here a delivery that found the adapter down is
            // retried every 2 s at most, 60 times, so it reaches the restarted adapter soon.
            env.put("EMULATOR_WEBHOOK_RETRY_DELAY", "500ms");
            env.put("EMULATOR_WEBHOOK_MAX_RETRY_DELAY", "2s");
            env.put("EMULATOR_WEBHOOK_RETRIES", "60");
            env.putAll(emulatorEnv);
            emulator = QuarkusApp.start("fal-emulator-it", Path.of("..", "fal-emulator").toAbsolutePath(), emulatorPort,
                    env, logs, emulatorHeap);
            started.add(emulator);

            adapterEnv.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            adapterEnv.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(DATABASE));
            adapterEnv.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(DATABASE));
            adapterEnv.put("QUARKUS_DATASOURCE_USERNAME", postgres.user());
            adapterEnv.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
            adapterEnv.put("FAL_QUEUE_URL", emulatorUrl);
            adapterEnv.put("FAL_KEY", FalEmulatorResource.KEY);
            // Webhooks first, polling as the safety net. The port and token secret stay the same
            // across restarts, so webhook URLs handed out before a crash still work after it.
            adapterEnv.put("FAL_WEBHOOK_PUBLIC_URL", "http://127.0.0.1:" + adapterPort);
            adapterEnv.put("FAL_WEBHOOK_JWKS_URL", emulatorUrl + "/.well-known/jwks.json");
            adapterEnv.put("FAL_WEBHOOK_TOKEN_SECRET", FalEmulatorResource.WEBHOOK_TOKEN_SECRET);
            adapterEnv.put("FAL_POLL_INITIAL_INTERVAL", "500ms");
            adapterEnv.put("FAL_POLL_MAX_INTERVAL", "3s");
            adapterEnv.putAll(adapterOverrides);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** Starts the packaged adapter (again, after a crash: same database, port and secrets). */
    QuarkusApp startAdapter() {
        adapterStarts++;
        adapter = QuarkusApp.start("fal-adapter-it-" + adapterStarts, Path.of("").toAbsolutePath(), adapterPort,
                adapterEnv, logs, adapterHeap);
        started.add(adapter);
        return adapter;
    }

    QuarkusApp adapter() {
        return adapter;
    }

    PostgresServer postgres() {
        return postgres;
    }

    String database() {
        return DATABASE;
    }

    void publish(List<? extends GenerationEvent> batch) {
        List<ProducerRecord<String, String>> records = new ArrayList<>(batch.size());
        for (GenerationEvent event : batch) {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.GENERATION_EVENTS,
                    event.generationId(), dispatcherCodec.encode(event));
            record.headers().add("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
            records.add(record);
        }
        companion.produceStrings().fromRecords(records).awaitCompletion(Duration.ofMinutes(2));
    }

    static List<GenerationDispatched> dispatches(String prefix, int count) {
        List<GenerationDispatched> dispatches = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String generationId = prefix + "-" + i;
            dispatches.add(Harness.dispatched(generationId, Harness.validInput(generationId)));
        }
        return dispatches;
    }

    /** Distinct generation ids of the events of this type seen so far on {@code generation-events}. */
    Set<String> generationsWith(Class<? extends GenerationEvent> type) {
        return decoded(type::isInstance).stream().map(GenerationEvent::generationId).collect(Collectors.toSet());
    }

    <T extends GenerationEvent> List<T> all(Class<T> type) {
        return decoded(type::isInstance).stream().map(type::cast).toList();
    }

    long count(Class<? extends GenerationEvent> type) {
        return decoded(type::isInstance).size();
    }

    /** Decodes only the records that arrived since the last call: the benchmark reads tens of thousands. */
    private synchronized List<GenerationEvent> decoded(Predicate<GenerationEvent> wanted) {
        List<ConsumerRecord<String, String>> records = events.getRecords();
        for (int i = decoded.size(); i < records.size(); i++) {
            decoded.add(EventCodec.decode(records.get(i).value()).data());
        }
        return decoded.stream().filter(wanted).toList();
    }

    JsonNode emulatorStats() {
        return getJson(emulator.baseUrl() + "/_emulator/stats");
    }

    /** The emulator's remembered requests ({@code GET /_emulator/requests}), oldest first. */
    JsonNode emulatorRequests() {
        return getJson(emulator.baseUrl() + "/_emulator/requests");
    }

    /** Replaces the emulator's fault rules, e.g. {@code [{"fault":"submit_slow","rate":1.0}]}. */
    void emulatorFaults(String rulesJson) {
        send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/_emulator/faults"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.ofString(rulesJson)).build());
    }

    /** Back to the emulator's configured fault rules (none here). */
    void clearEmulatorFaults() {
        send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/_emulator/faults"))
                .timeout(Duration.ofSeconds(30)).DELETE().build());
    }

    private void send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": "
                        + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A Prometheus figure of the running adapter, summed over its series; NaN when absent. */
    double adapterMetric(String name, String labelFilter) {
        String text = get(adapter.baseUrl() + "/q/metrics");
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                if (labelFilter == null || line.contains(labelFilter)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    found = true;
                }
            }
        }
        return found ? sum : Double.NaN;
    }

    String sql(String query) {
        return postgres.psql(DATABASE, query).strip();
    }

    private JsonNode getJson(String url) {
        try {
            return JSON.readTree(get(url));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String get(String url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops everything, newest first; one failing stop does not keep the others running. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("could not stop " + started.get(i) + ": " + e);
            }
        }
        started.clear();
    }
}
