package ai.vidgen.storage.messaging;

import ai.vidgen.events.envelope.EventCodec;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one codec of this service; its CloudEvent source names the service. */
public class EventCodecProducer {

    public static final String SOURCE = "/vidgen/storage-service";

    @Produces
    @Singleton
    EventCodec codec() {
        return new EventCodec(SOURCE);
    }
}
