package ai.vidgen.platform.messaging;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The Kafka settings every service shares, as a config source below application.properties
 * (ordinal 200 &lt; 250): a service sets only what differs. The channels are the conventions':
 * {@code generation-events} in (group = the application name) and {@code events-out} out.
 *
 * <ul>
 *   <li>{@code cloud-events=false}: records carry {@code content-type: application/cloudevents+json}
 *       and the services decode the envelope themselves; SmallRye's own support would hand them only
 *       the data.</li>
 *   <li>{@code throttled.unprocessed-record-max-age.ms=0}: the template retries an event for as long
 *       as a transient failure lasts and reports that on readiness; SmallRye's 60 s limit would
 *       instead fail the channel and get the pod restarted in a loop.</li>
 *   <li>{@code graceful-shutdown=false} on {@code generation-events}: the platform's graceful
 *       shutdown ({@code ai.vidgen.platform.shutdown.GracefulShutdown}) has already let the records in
 *       flight finish before the connector closes, and the records it held back are meant to stay
 *       unprocessed. SmallRye's own grace would only sleep two poll timeouts and then wait up to
 *       {@code auto.commit.interval.ms} (5 s) for those held records. The connector still commits the
 *       acknowledged offsets when it closes.</li>
 *   <li>{@code tracing-enabled=false}: the trace travels inside the CloudEvent (the tracing
 *       extension), also through outboxes, where Kafka headers would start a new trace.</li>
 *   <li>{@code acks=all} with the idempotent producer: an acknowledged event is on every in-sync
 *       replica, and retries never reorder or duplicate it within a partition.</li>
 *   <li>{@code max.request.size} ({@value #MAX_REQUEST_SIZE} bytes, 1 MiB) on every producer of the
 *       Kafka connector: the events ({@code events-out}), request-service's command replies
 *       ({@code replies-out}) and the dead-letter producers. Set on purpose rather than inherited:
 *       it must stay at or below the topics' {@code max.message.bytes} (Kafka's default 1048588 =
 *       1 MiB + the batch header), so a record the producer lets through is one the broker takes.
 *       An event is a few KB (inline media goes to the object store, never into an event); one over
 *       the limit fails at once with {@code RecordTooLargeException}, which the outbox treats as
 *       refused for good. Raise it only together with the topics' limit, and never to carry media.
 *       It is a connector default rather than a setting of each channel because a channel's
 *       settings would declare that channel in every service, {@code replies-out} included
 *       (consumers ignore it).</li>
 * </ul>
 */
public class KafkaDefaults implements ConfigSource {

    private static final String IN = "mp.messaging.incoming.generation-events.";
    private static final String OUT = "mp.messaging.outgoing.events-out.";
    private static final String CONNECTOR = "mp.messaging.connector.smallrye-kafka.";

    /** The largest record a producer sends, in bytes: see the class comment. */
    public static final String MAX_REQUEST_SIZE = "1048576";

    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("kafka.bootstrap.servers", "localhost:9092"),
            Map.entry(IN + "connector", "smallrye-kafka"),
            Map.entry(IN + "topic", "generation-events"),
            Map.entry(IN + "group.id", "${quarkus.application.name}"),
            Map.entry(IN + "auto.offset.reset", "earliest"),
            Map.entry(IN + "value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer"),
            Map.entry(IN + "cloud-events", "false"),
            Map.entry(IN + "failure-strategy", "dead-letter-queue"),
            Map.entry(IN + "dead-letter-queue.topic", "generation-dead-letters"),
            Map.entry(IN + "throttled.unprocessed-record-max-age.ms", "0"),
            Map.entry(IN + "tracing-enabled", "false"),
            Map.entry(IN + "graceful-shutdown", "false"),
            Map.entry(OUT + "connector", "smallrye-kafka"),
            Map.entry(OUT + "topic", "generation-events"),
            Map.entry(OUT + "value.serializer", "org.apache.kafka.common.serialization.StringSerializer"),
            Map.entry(OUT + "acks", "all"),
            Map.entry(OUT + "enable.idempotence", "true"),
            Map.entry(OUT + "cloud-events", "false"),
            Map.entry(OUT + "tracing-enabled", "false"),
            // The events' producer states it; the connector default covers replies-out and the
            // dead-letter producers (see the class comment).
            Map.entry(OUT + "max.request.size", MAX_REQUEST_SIZE),
            Map.entry(CONNECTOR + "max.request.size", MAX_REQUEST_SIZE),
            // Logs carry the trace and the generation of the work they belong to.
            Map.entry("quarkus.log.console.format",
                    "%d{HH:mm:ss,SSS} %-5p [%c{2.}] (%t) [trace=%X{traceId} gen=%X{generationId}] %s%e%n"),
            Map.entry("quarkus.otel.metrics.enabled", "false"),
            Map.entry("quarkus.otel.logs.enabled", "false"));

    @Override
    public Set<String> getPropertyNames() {
        return DEFAULTS.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return DEFAULTS.get(propertyName);
    }

    @Override
    public String getName() {
        return "vidgen-platform-defaults";
    }

    @Override
    public int getOrdinal() {
        return 200;
    }
}
