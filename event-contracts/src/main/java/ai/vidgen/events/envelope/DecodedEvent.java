package ai.vidgen.events.envelope;

import ai.vidgen.events.GenerationEvent;

/** A CloudEvent read from Kafka together with its typed data. */
public record DecodedEvent(CloudEvent envelope, GenerationEvent data) {

    /** The key consumers deduplicate on: CloudEvents are unique by source and id. */
    public String dedupKey() {
        return envelope.source() + "|" + envelope.id();
    }
}
