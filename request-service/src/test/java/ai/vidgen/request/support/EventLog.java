package ai.vidgen.request.support;

import org.awaitility.Awaitility;

import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.Topics;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.events.envelope.EventCodec;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The tests' view of Kafka: everything on {@code generation-events} since the test class started
 * (the topic is shared by the JVM, so tests filter by their fresh generation ids), and a producer
 * that plays the other services, encoding events like they do.
 */
public final class EventLog implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(30);
    /** The other services' events, as they would encode them (source aside). */
    public static final EventCodec OTHERS = new EventCodec("/vidgen/test");

    private final KafkaCompanion companion;
    private final ConsumerTask<String, String> events;

    private EventLog(KafkaCompanion companion) {
        this.companion = companion;
        this.events = companion.consumeStrings()
                .withGroupId("test-observer-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST)
                .fromTopics(Topics.GENERATION_EVENTS);
    }

    public static EventLog open() {
        return new EventLog(new KafkaCompanion(
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class)));
    }

    public KafkaCompanion companion() {
        return companion;
    }

    /** Every record keyed by {@code generationId} seen so far. */
    public List<ConsumerRecord<String, String>> records(String generationId) {
        return events.stream().filter(r -> generationId.equals(r.key())).toList();
    }

    /** Every record seen so far, of every generation. */
    public List<ConsumerRecord<String, String>> all() {
        return events.stream().toList();
    }

    /** Waits for the first record of {@code generationId} with CloudEvent type {@code type}. */
    public ConsumerRecord<String, String> await(String generationId, String type) {
        return Awaitility.await().atMost(WAIT).until(() -> records(generationId).stream()
                        .filter(r -> type.equals(EventCodec.decode(r.value()).envelope().type())).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }

    public DecodedEvent decode(ConsumerRecord<String, String> record) {
        return EventCodec.decode(record.value());
    }

    /** Publishes events as another service would (structured CloudEvent, keyed by generation id), in order. */
    public List<RecordMetadata> publish(GenerationEvent... events) {
        List<ProducerRecord<String, String>> records = java.util.Arrays.stream(events)
                .map(e -> record(e.generationId(), OTHERS.encode(e))).toList();
        return publishRaw(records);
    }

    public List<RecordMetadata> publishRaw(List<ProducerRecord<String, String>> records) {
        return companion.produceStrings().fromRecords(records).awaitCompletion(WAIT).getRecords();
    }

    public static ProducerRecord<String, String> record(String key, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(Topics.GENERATION_EVENTS, null, key, value, headers);
    }

    /**
     * Waits until request-service's consumer group has committed past {@code record}: it has then
     * processed it (offsets are committed only after processing), so a test can assert that an
     * event changed nothing without sleeping.
     */
    public void awaitConsumed(RecordMetadata record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Awaitility.await().atMost(WAIT).until(() -> {
            OffsetAndMetadata committed = companion.consumerGroups().offsets("request-service", partition);
            return committed != null && committed.offset() > record.offset();
        });
    }

    @Override
    public void close() {
        events.close();
        companion.close();
    }
}
