package ai.vidgen.events.envelope;

import ai.vidgen.events.GenerationEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
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
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        return Message.of(codec.encode(event)).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.generationId())
                .withHeaders(headers)
                .build());
    }
}
