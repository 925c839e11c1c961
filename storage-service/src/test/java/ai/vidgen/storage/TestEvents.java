package ai.vidgen.storage;

import org.awaitility.Awaitility;

import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.Topics;
import ai.vidgen.events.envelope.CloudEvent;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.events.envelope.EventCodec;
import java.nio.charset.StandardCharsets;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;

/** Produces completions and reads this service's answers on the shared topic, by generation id. */
final class TestEvents implements AutoCloseable {

    static final String TENANT = "acme";
    static final GenerationSpec SPEC = new GenerationSpec("fal-ai/kling-video/v3/standard/text-to-video", 5, true, false);

    private final KafkaCompanion companion;
    private final EventCodec falAdapter = new EventCodec("/vidgen/fal-adapter");

    TestEvents() {
        this(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    /** Outside a Quarkus test (an *IT driving the packaged service). */
    TestEvents(String bootstrapServers) {
        companion = new KafkaCompanion(bootstrapServers);
    }

    static String newGenerationId() {
        return "gen-" + UUID.randomUUID();
    }

    static GenerationCompleted completed(String generationId, String url, Long fileSize) {
        return new GenerationCompleted(generationId, TENANT, SPEC, 1, "fal-req-" + generationId, url, "video/mp4",
                fileSize, 4200L);
    }

    /** As the other services publish it: a structured-mode CloudEvent with its content-type header. */
    void publish(GenerationEvent event) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.GENERATION_EVENTS, event.generationId(),
                falAdapter.encode(event));
        record.headers().add("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        send(record);
    }

    /** Many events in one go, as a burst of completions reaches the consumer. */
    void publishAll(List<? extends GenerationEvent> events) {
        List<ProducerRecord<String, String>> records = events.stream().map(event -> {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.GENERATION_EVENTS,
                    event.generationId(), falAdapter.encode(event));
            record.headers().add("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
            return record;
        }).toList();
        companion.produceStrings().fromRecords(records).awaitCompletion(Duration.ofSeconds(60));
    }

    /**
     * Every event of the type published for this generation so far: a marker (an event this
     * service ignores) goes to the generation's partition after them, and the partition is read up
     * to it, so nothing published before this call is missed.
     */
    <T extends GenerationEvent> List<T> allUpToNow(String generationId, Class<T> type) {
        String marker = "marker-" + UUID.randomUUID();
        publish(new ai.vidgen.events.GenerationFailed(generationId, TENANT, 99, "test_marker", marker, false));
        java.util.function.Predicate<ConsumerRecord<String, String>> isMarker =
                r -> decode(r.value()) instanceof ai.vidgen.events.GenerationFailed f && marker.equals(f.message());
        List<ConsumerRecord<String, String>> records;
        try (ConsumerTask<String, String> task = companion.consumeStrings()
                .withGroupId("test-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST)
                .fromTopics(Set.of(Topics.GENERATION_EVENTS), all -> all.filter(r -> generationId.equals(r.key())))) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> task.stream().anyMatch(isMarker));
            records = task.stream().toList();
        }
        List<T> found = new java.util.ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            GenerationEvent event = decode(r.value());
            if (event instanceof ai.vidgen.events.GenerationFailed f && marker.equals(f.message())) {
                break;
            }
            if (type.isInstance(event)) {
                found.add(type.cast(event));
            }
        }
        return found;
    }

    /** The event as this service's consumer decodes it off the topic. */
    DecodedEvent decoded(GenerationEvent event) {
        return EventCodec.decode(falAdapter.encode(event));
    }

    void publishRaw(String key, String value) {
        send(new ProducerRecord<>(Topics.GENERATION_EVENTS, key, value));
    }

    private void send(ProducerRecord<String, String> record) {
        companion.produceStrings().fromRecords(record).awaitCompletion(Duration.ofSeconds(30));
    }

    /** Waits for {@code count} events of the type on the topic for this generation and returns them, decoded. */
    <T extends GenerationEvent> List<T> await(String generationId, Class<T> type, int count) {
        return await(Topics.GENERATION_EVENTS, generationId, count, r -> type.isInstance(decode(r.value())))
                .stream().map(r -> type.cast(decode(r.value()))).toList();
    }

    <T extends GenerationEvent> T awaitOne(String generationId, Class<T> type) {
        return await(generationId, type, 1).get(0);
    }

    <T extends GenerationEvent> T awaitOne(String generationId, Class<T> type, Duration timeout) {
        return await(Topics.GENERATION_EVENTS, generationId, 1, r -> type.isInstance(decode(r.value())), timeout)
                .stream().map(r -> type.cast(decode(r.value()))).findFirst().orElseThrow();
    }

    /** Every record with this key on the topic so far, after waiting for {@code count} that match. */
    List<ConsumerRecord<String, String>> await(String topic, String key, int count,
            java.util.function.Predicate<ConsumerRecord<String, String>> matching) {
        return await(topic, key, count, matching, Duration.ofSeconds(30));
    }

    List<ConsumerRecord<String, String>> await(String topic, String key, int count,
            java.util.function.Predicate<ConsumerRecord<String, String>> matching, Duration timeout) {
        try (ConsumerTask<String, String> task = companion.consumeStrings()
                .withGroupId("test-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST)
                .fromTopics(Set.of(topic), records -> records.filter(r -> key.equals(r.key())))) {
            Awaitility.await().atMost(timeout)
                    .until(() -> task.stream().filter(matching).count() >= count);
            return task.stream().filter(matching).toList();
        }
    }

    static GenerationEvent decode(String json) {
        try {
            return EventCodec.decode(json).data();
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        companion.close();
    }
}
