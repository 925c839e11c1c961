package ai.vidgen.platform.outbox;

import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.envelope.CloudEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.platform.tracing.RecentTraces;
import ai.vidgen.platform.tracing.TraceParent;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The transactional outbox: a state change appends its events here in its own transaction,
 * encoded right then (so the CloudEvent id, time and trace are those of the fact), and the
 * {@link OutboxRelay} publishes them once the transaction has committed. Either both the change
 * and its events happen, or neither does.
 *
 * <p>The table ({@code outbox}, see docs/conventions.md) lives in the service's own database and is
 * created by the service's own Flyway migration.
 */
@ApplicationScoped
@IfBuildProperty(name = "vidgen.outbox.enabled", stringValue = "true")
public class Outbox {

    private final EventCodec codec;
    private final RecentTraces traces;
    private final OutboxRelay relay;

    public Outbox(EventCodec codec, RecentTraces traces, OutboxRelay relay) {
        this.codec = codec;
        this.traces = traces;
        this.relay = relay;
    }

    /** Appends events in the current span's trace (else the generation's last seen one). */
    public Uni<Void> append(SqlConnection tx, List<? extends GenerationEvent> events) {
        return append(tx, events, Optional.empty());
    }

    /** Appends events in the given trace (one kept in a row for work that continues later). */
    public Uni<Void> append(SqlConnection tx, List<? extends GenerationEvent> events, Optional<TraceParent> trace) {
        List<CloudEvent> envelopes = new ArrayList<>(events.size());
        for (GenerationEvent event : events) {
            Optional<TraceParent> t = trace.isPresent() ? trace : traces.forPublishing(event.generationId());
            CloudEvent envelope = codec.envelope(event);
            envelopes.add(t.map(p -> p.stamp(envelope)).orElse(envelope));
        }
        return appendEnvelopes(tx, envelopes);
    }

    /** Appends envelopes built by the caller (e.g. dated by the moment a request was accepted). */
    public Uni<Void> appendEnvelopes(SqlConnection tx, List<CloudEvent> envelopes) {
        if (envelopes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(envelopes.size());
        for (CloudEvent envelope : envelopes) {
            CloudEvent traced = envelope.traceparent() != null ? envelope
                    : TraceParent.current().map(t -> t.stamp(envelope)).orElse(envelope);
            rows.add(Tuple.of(traced.subject(), traced.id(), traced.type(), EventCodec.write(traced)));
        }
        return tx.preparedQuery("INSERT INTO outbox (generation_id, event_id, event_type, cloud_event)"
                        + " VALUES ($1, $2, $3, $4)")
                .executeBatch(rows)
                .replaceWithVoid();
    }

    /**
     * Asks the relay for a pass soon. Call it after the appending transaction committed; a missed
     * nudge only costs latency, the schedule is the guarantee.
     */
    public void nudge() {
        relay.nudge();
    }
}
