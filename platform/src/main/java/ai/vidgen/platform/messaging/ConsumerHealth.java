package ai.vidgen.platform.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * The state behind the event consumers' readiness check: DOWN while any consumer is retrying an event through a
 * transient failure (its database is down, say), UP again as soon as the event went through.
 * Readiness, not liveness: the consumer is waiting correctly, and a restart would not help.
 */
@ApplicationScoped
public class ConsumerHealth {

    public static final String NAME = "event consumers";

    private record Retrying(String eventId, Instant since, String failure) {
    }

    private final Map<String, Retrying> retrying = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    void retrying(String consumer, String eventId, Throwable failure) {
        retrying.compute(consumer, (name, previous) -> new Retrying(eventId,
                previous != null && previous.eventId().equals(eventId) ? previous.since() : clock.instant(),
                failure.toString()));
    }

    void recovered(String consumer) {
        retrying.remove(consumer);
    }

    public boolean isRetrying() {
        return !retrying.isEmpty();
    }

    HealthCheckResponse response() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).status(retrying.isEmpty());
        retrying.forEach((consumer, r) -> response.withData(consumer,
                "retrying " + r.eventId() + " since " + r.since() + ": " + r.failure()));
        return response.build();
    }
}
