package ai.vidgen.platform.messaging;

import ai.vidgen.events.envelope.EventCodec;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The one codec of a service: its CloudEvent {@code source} is {@code /vidgen/<quarkus.application.name>}. */
public class ServiceEventCodec {

    @Produces
    @Singleton
    EventCodec codec(@ConfigProperty(name = "quarkus.application.name") String application) {
        return new EventCodec(source(application));
    }

    public static String source(String application) {
        return "/vidgen/" + application;
    }
}
