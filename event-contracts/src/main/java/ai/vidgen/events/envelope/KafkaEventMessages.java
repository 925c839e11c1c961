package ai.vidgen.events.envelope;

import ai.vidgen.events.GenerationEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Shapes a {@link GenerationEvent} into the Kafka record every service publishes. */
public final class KafkaEventMessages {

    private KafkaEventMessages() {
    }

    /**
     * A structured-mode CloudEvent keyed by generation id, so all events of one generation land
     * on one partition in the order they were published.
     */
    public static Message<String> of(EventCodec codec, GenerationEvent event) {
        return of(event.generationId(), codec.encode(event));
    }

    /**
     * An already encoded CloudEvent, such as one an outbox stored at commit time: publishing the
     * stored bytes keeps its id and time exactly as first written.
     */
    public static Message<String> of(String generationId, String cloudEventJson) {
        return Message.of(cloudEventJson).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(generationId)
                .withHeaders(headers())
                .build());
    }

    /** The same record as a plain Kafka producer would write it (tests, tools, other producers). */
    public static ProducerRecord<String, String> record(String topic, EventCodec codec, GenerationEvent event) {
        return new ProducerRecord<>(topic, null, event.generationId(), codec.encode(event), headers());
    }

    private static RecordHeaders headers() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
