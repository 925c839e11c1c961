package ai.vidgen.dispatcher.messaging;

import ai.vidgen.events.envelope.EventCodec;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one event codec of this service. */
public class Codecs {

    public static final String SOURCE = "/vidgen/dispatcher-service";

    @Produces
    @Singleton
    EventCodec eventCodec() {
        return new EventCodec(SOURCE);
    }
}
