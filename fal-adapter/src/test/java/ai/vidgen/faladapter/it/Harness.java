package ai.vidgen.faladapter.it;

import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.Topics;
import ai.vidgen.events.catalog.KlingEndpoint;
import ai.vidgen.events.envelope.CloudEvent;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.events.envelope.EventCodec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What the integration tests share: producing dispatches as the dispatcher would, reading every
 * event of a generation from {@code generation-events}, and the emulator's admin view.
 */
final class Harness implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final KlingEndpoint ENDPOINT = KlingEndpoint.V3_STANDARD_T2V;

    private final EventCodec dispatcherCodec = new EventCodec("/vidgen/dispatcher-test");
    private final KafkaCompanion kafka;
    private final ConsumerTask<String, String> events;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String emulatorUrl;

    Harness() {
        var config = ConfigProvider.getConfig();
        this.kafka = new KafkaCompanion(config.getValue("kafka.bootstrap.servers", String.class));
        this.events = kafka.consumeStrings().fromTopics(Topics.GENERATION_EVENTS);
        this.emulatorUrl = config.getValue("fal.queue-url", String.class);
    }

    static String newGenerationId() {
        return "gen-" + UUID.randomUUID();
    }

    /** A valid Kling v3 text-to-video input; the generation id in the prompt makes it unique. */
    static ObjectNode validInput(String generationId) {
        ObjectNode input = JSON.createObjectNode();
        input.put("prompt", "A paper boat drifting down a rain gutter, " + generationId);
        input.put("duration", "3");
        input.put("aspect_ratio", "16:9");
        input.put("generate_audio", false);
        return input;
    }

    static GenerationDispatched dispatched(String generationId, ObjectNode input) {
        return new GenerationDispatched(generationId, "tenant-a", ENDPOINT.specFor(input), input, 1, "normal");
    }

    void produce(GenerationEvent event) {
        produce(event.generationId(), dispatcherCodec.encode(event));
    }

    /** As the dispatcher publishes it from a span of the generation's trace. */
    void produce(GenerationEvent event, String traceparent) {
        produce(event.generationId(), EventCodec.write(dispatcherCodec.envelope(event).withTrace(traceparent, null)));
    }

    private void produce(String generationId, String cloudEvent) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.GENERATION_EVENTS, generationId,
                cloudEvent);
        record.headers().add("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        kafka.produceStrings().fromRecords(record).awaitCompletion(Duration.ofSeconds(30));
    }

    /** Every event of {@code generationId} seen so far, in topic order. */
    List<GenerationEvent> eventsOf(String generationId) {
        List<GenerationEvent> found = new ArrayList<>();
        for (ConsumerRecord<String, String> record : events.getRecords()) {
            if (generationId.equals(record.key())) {
                found.add(EventCodec.decode(record.value()).data());
            }
        }
        return found;
    }

    /** The CloudEvent of the first event of this type of {@code generationId} seen so far. */
    Optional<CloudEvent> envelopeOf(String generationId, Class<? extends GenerationEvent> type) {
        for (ConsumerRecord<String, String> record : events.getRecords()) {
            if (generationId.equals(record.key())) {
                DecodedEvent decoded = EventCodec.decode(record.value());
                if (type.isInstance(decoded.data())) {
                    return Optional.of(decoded.envelope());
                }
            }
        }
        return Optional.empty();
    }

    <T extends GenerationEvent> List<T> eventsOf(String generationId, Class<T> type) {
        return eventsOf(generationId).stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends GenerationEvent> Optional<T> first(String generationId, Class<T> type) {
        return eventsOf(generationId, type).stream().findFirst();
    }

    /** The emulator's admin view of every request it remembers. */
    List<JsonNode> emulatorRequests() {
        JsonNode list = getJson(emulatorUrl + "/_emulator/requests");
        List<JsonNode> requests = new ArrayList<>();
        list.forEach(requests::add);
        return requests;
    }

    Optional<JsonNode> emulatorRequest(String requestId) {
        return emulatorRequests().stream().filter(r -> requestId.equals(r.path("request_id").asText())).findFirst();
    }

    /** Submits directly to the emulator, as the adapter would, bypassing it. */
    JsonNode submitDirectly(ObjectNode input) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(emulatorUrl + "/" + ENDPOINT.id()))
                .header("Authorization", "Key " + FalEmulatorResource.KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(input.toString()))
                .build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("emulator submit answered " + response.statusCode() + ": "
                    + response.body());
        }
        return parse(response.body());
    }

    HttpResponse<byte[]> download(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode getJson(String url) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url)).GET().build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode());
        }
        return parse(response.body());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static GenerationSpec spec(ObjectNode input) {
        return ENDPOINT.specFor(input);
    }

    /** Sets the emulator's fault rules: one fault at the given rate (empty name: none). */
    void faults(String fault, double rate) {
        String body = fault == null ? "[]" : "[{\"fault\":\"" + fault + "\",\"rate\":" + rate + "}]";
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(emulatorUrl + "/_emulator/faults"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("setting faults answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** {@code total_submissions} of the emulator: every submit it accepted, ever. */
    long emulatorSubmissions() {
        return getJson(emulatorUrl + "/_emulator/stats").path("total_submissions").asLong();
    }

    /** The emulator's webhook delivery attempts for one request. */
    List<JsonNode> webhookAttempts(String requestId) {
        List<JsonNode> attempts = new ArrayList<>();
        getJson(emulatorUrl + "/_emulator/webhooks?request_id=" + requestId).forEach(attempts::add);
        return attempts;
    }

    /** POSTs a webhook delivery to the adapter as anyone could. */
    HttpResponse<String> postWebhook(String url, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    @Override
    public void close() {
        events.close();
        kafka.close();
    }
}
