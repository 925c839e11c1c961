package ai.vidgen.dispatcher.support;

import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.Topics;
import ai.vidgen.events.envelope.CloudEvent;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.events.envelope.UndecodableEventException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Produces events the way the other services do and watches {@code generation-events} and the
 * dead-letter topic from the beginning (the topics are shared by the test classes of a JVM, so
 * every lookup filters by generation id).
 */
public final class TestEvents implements AutoCloseable {

    public static final EventCodec REQUEST_SERVICE = new EventCodec("/vidgen/request-service");
    public static final EventCodec FAL_ADAPTER = new EventCodec("/vidgen/fal-adapter");
    public static final String ENDPOINT = "fal-ai/kling-video/v3/standard/text-to-video";

    private final KafkaCompanion companion;
    private final ConsumerTask<String, String> events;
    private final ConsumerTask<String, String> deadLetters;

    public TestEvents() {
        companion = new KafkaCompanion(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        events = companion.consumeStrings().withGroupId("probe-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(Topics.GENERATION_EVENTS);
        deadLetters = companion.consumeStrings().withGroupId("probe-dlq-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(Topics.DEAD_LETTERS);
    }

    public static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    public static GenerationRequested requested(String generationId, String tenantId, String priority) {
        ObjectNode input = EventCodec.mapper().createObjectNode()
                .put("prompt", "a red fox crossing a snowy field at dawn")
                .put("duration", "5")
                .put("generate_audio", false)
                .put("cfg_scale", 0.5);
        input.putArray("tags").add("winter").add("fox");
        return new GenerationRequested(generationId, tenantId, new GenerationSpec(ENDPOINT, 5, false, false), input,
                priority, null, Instant.parse("2026-03-01T10:15:30Z"));
    }

    /** Publishes like another service does and waits for the broker's ack. */
    public void publish(EventCodec codec, GenerationEvent event) {
        publishRaw(event.generationId(), codec.encode(event));
    }

    /** Publishes many events in one pipelined batch and waits for every ack. */
    public void publishAll(EventCodec codec, List<? extends GenerationEvent> batch) {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (GenerationEvent event : batch) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
            records.add(new ProducerRecord<>(Topics.GENERATION_EVENTS, null, event.generationId(), codec.encode(event),
                    headers));
        }
        companion.produceStrings().fromRecords(records).awaitCompletion(java.time.Duration.ofSeconds(60));
    }

    /** Every decodable event of the given type on the topic so far, in topic order within a partition. */
    public <T extends GenerationEvent> List<T> all(Class<T> type) {
        List<T> found = new ArrayList<>();
        for (ConsumerRecord<String, String> record : events.getRecords()) {
            try {
                GenerationEvent event = EventCodec.decode(record.value()).data();
                if (type.isInstance(event)) {
                    found.add(type.cast(event));
                }
            } catch (UndecodableEventException ignored) {
                // the tests' own garbage records
            }
        }
        return found;
    }

    /** The decoded events of the given type in the order this probe received them (with offsets). */
    public List<ConsumerRecord<String, String>> records() {
        return events.getRecords();
    }

    public void publishRaw(String key, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        companion.produceStrings()
                .fromRecords(new ProducerRecord<>(Topics.GENERATION_EVENTS, null, key, value, headers))
                .awaitCompletion();
    }

    /** Every decodable event of the generation seen so far, in topic order. */
    public List<DecodedEvent> of(String generationId) {
        List<DecodedEvent> found = new ArrayList<>();
        for (ConsumerRecord<String, String> record : events.getRecords()) {
            if (generationId.equals(record.key())) {
                try {
                    found.add(EventCodec.decode(record.value()));
                } catch (UndecodableEventException ignored) {
                    // the tests' own garbage records
                }
            }
        }
        return found;
    }

    public <T extends GenerationEvent> List<T> of(String generationId, Class<T> type) {
        return of(generationId).stream().map(DecodedEvent::data).filter(type::isInstance).map(type::cast).toList();
    }

    public List<DecodedEvent> envelopes(String generationId, Class<? extends GenerationEvent> type) {
        return of(generationId).stream().filter(e -> type.isInstance(e.data())).toList();
    }

    /** The first record of the generation with the given CloudEvent type. */
    public ConsumerRecord<String, String> rawOf(String generationId, String cloudEventType) {
        for (ConsumerRecord<String, String> record : events.getRecords()) {
            if (generationId.equals(record.key())) {
                try {
                    if (cloudEventType.equals(EventCodec.decode(record.value()).envelope().type())) {
                        return record;
                    }
                } catch (UndecodableEventException ignored) {
                    // not one of ours
                }
            }
        }
        throw new AssertionError("no " + cloudEventType + " for " + generationId);
    }

    public List<ConsumerRecord<String, String>> deadLettersOf(String key) {
        return deadLetters.getRecords().stream().filter(r -> key.equals(r.key())).toList();
    }

    @Override
    public void close() {
        events.stop();
        deadLetters.stop();
        companion.close();
    }
}
