package ai.vidgen.dispatcher.messaging;

import ai.vidgen.dispatcher.config.DispatcherConfig;
import ai.vidgen.dispatcher.domain.Capacity;
import ai.vidgen.dispatcher.domain.FairShare;
import ai.vidgen.dispatcher.persistence.ExpiredGeneration;
import ai.vidgen.dispatcher.persistence.QueueRepository;
import ai.vidgen.dispatcher.persistence.ReclaimedGeneration;
import ai.vidgen.dispatcher.persistence.ReleasedGeneration;
import ai.vidgen.events.GenerationAbandoned;
import ai.vidgen.events.GenerationCancelled;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.platform.outbox.Outbox;
import ai.vidgen.platform.tracing.TraceParent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Releases QUEUED generations to fal under the global in-flight limit, the tenants' own limits
 * and fair sharing, and ends what may no longer run.
 *
 * <p>One pass is one transaction under the dispatch advisory lock (passes of all replicas are
 * serialized, because the limit is global):
 * <ol>
 *   <li>reclaim the slots of generations DISPATCHED longer than {@code dispatcher.reclaim-after}
 *       without a terminal event (a lost event must not hold a slot forever), each ended with
 *       GenerationAbandoned(reclaimed): billing releases its reservation, the read model ends it,
 *       and the fal-adapter stops tracking the attempt and publishes nothing more for it;</li>
 *   <li>end waiting generations whose deadline passed, with GenerationCancelled(deadline_passed,
 *       beforeStart) or, when one was waiting for a retry, GenerationAbandoned;</li>
 *   <li>count DISPATCHED per tenant, read each tenant's next candidates (at most the free slots
 *       each), let {@link FairShare} choose, mark them DISPATCHED and write their
 *       GenerationDispatched events to the outbox.</li>
 * </ol>
 * Every event continues the trace stored with its generation, so a generation's trace runs from
 * its request through the queue to fal, whichever replica releases it and however long it waited.
 *
 * <p>Why the outbox rather than publishing here: marking and announcing commit together, so a
 * crash can lose neither half. Publishing first and marking after would also be safe (the event
 * id is deterministic per generation and attempt, so a re-publish is a harmless duplicate), but
 * it would hold the dispatch lock across a Kafka round trip, and a Kafka outage would stall the
 * passes of every replica. With the outbox the lock is held for a few statements, and the relay
 * publishes and awaits the broker's ack on its own.
 */
@ApplicationScoped
public class DispatchWorker {

    private static final Logger LOG = Logger.getLogger(DispatchWorker.class);
    /** Deadlines ended per pass; a full batch asks for another pass at once. */
    static final int EXPIRY_BATCH = 500;
    /** The error type of the GenerationAbandoned that ends a reclaimed generation. */
    static final String RECLAIMED = "reclaimed";

    private record PassResult(List<ReclaimedGeneration> reclaimed, List<ExpiredGeneration> expired,
            List<ReleasedGeneration> released) {
    }

    private final Pool pool;
    private final QueueRepository queue;
    private final Outbox outbox;
    private final DispatcherMetrics metrics;
    private final int maxInFlight;
    private final Duration reclaimAfter;
    private final FairShare.Policy policy;
    private final SerialTask task;

    public DispatchWorker(Pool pool, QueueRepository queue, Outbox outbox, DispatcherMetrics metrics,
            DispatcherConfig config) {
        this.pool = pool;
        this.queue = queue;
        this.outbox = outbox;
        this.metrics = metrics;
        this.maxInFlight = config.maxInFlight();
        this.reclaimAfter = config.reclaimAfter();
        this.policy = policy(config.tenants());
        this.task = new SerialTask("dispatch", this::pass, Duration.ofSeconds(60));
    }

    /** Asks for a dispatch pass soon; returns at once. */
    public void kick() {
        task.kick();
    }

    Uni<Boolean> pass() {
        return pool.withTransaction(tx -> queue.lockDispatch(tx)
                        .chain(() -> queue.reclaimStuck(tx, reclaimAfter))
                        .call(reclaimed -> announce(tx, reclaimed, this::reclaim, ReclaimedGeneration::traceparent))
                        .chain(reclaimed -> queue.expireDeadlines(tx, EXPIRY_BATCH)
                                .call(expired -> announce(tx, expired, DispatchWorker::expiry,
                                        ExpiredGeneration::traceparent))
                                .chain(expired -> release(tx)
                                        .map(released -> new PassResult(reclaimed, expired, released)))))
                .map(this::afterCommit);
    }

    private Uni<List<ReleasedGeneration>> release(SqlConnection tx) {
        return queue.inFlightByTenant(tx).chain(inFlight -> {
            long total = inFlight.values().stream().mapToLong(Long::longValue).sum();
            int free = Capacity.free(maxInFlight, total);
            if (free == 0) {
                return Uni.createFrom().item(List.<ReleasedGeneration>of());
            }
            return queue.releaseCandidates(tx, free)
                    .map(candidates -> FairShare.pick(free, candidates, inFlight, policy))
                    .chain(ids -> ids.isEmpty()
                            ? Uni.createFrom().item(List.<ReleasedGeneration>of())
                            : queue.markDispatched(tx, ids))
                    .call(released -> announce(tx, released, DispatchWorker::event,
                            ReleasedGeneration::traceparent));
        });
    }

    /**
     * Writes one event per generation to the outbox, each in its own generation's trace. The
     * appends are pipelined on the transaction's connection, so they cost about one round trip
     * and keep their order.
     */
    private <T> Uni<Void> announce(SqlConnection tx, List<T> generations, Function<T, GenerationEvent> event,
            Function<T, String> traceparent) {
        if (generations.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join().all(generations.stream()
                        .map(g -> outbox.append(tx, List.of(event.apply(g)), TraceParent.of(traceparent.apply(g))))
                        .toList())
                .andFailFast().replaceWithVoid();
    }

    private boolean afterCommit(PassResult result) {
        for (ReclaimedGeneration r : result.reclaimed()) {
            LOG.warnf("reclaimed the slot of %s (attempt %d): dispatched more than %s ago and no terminal event "
                    + "came; abandoned", r.generationId(), r.attempt(), reclaimAfter);
            metrics.reclaimed();
        }
        for (ExpiredGeneration e : result.expired()) {
            LOG.infof("%s of tenant %s passed its deadline %s", e.generationId(), e.tenantId(),
                    e.attempt() == 0 ? "before it started" : "while waiting for attempt " + (e.attempt() + 1));
            if (e.attempt() == 0) {
                metrics.cancelled("deadline_passed");
            } else {
                metrics.abandoned();
            }
        }
        for (ReleasedGeneration r : result.released()) {
            LOG.infof("dispatched %s of tenant %s (attempt %d, fal priority %s)", r.generationId(), r.tenantId(),
                    r.attempt(), r.falPriority());
            metrics.dispatched(r);
        }
        if (!result.reclaimed().isEmpty() || !result.expired().isEmpty() || !result.released().isEmpty()) {
            outbox.nudge();
        }
        // A pass takes all the capacity it can: another one at once only when deadlines are left.
        return result.expired().size() >= EXPIRY_BATCH;
    }

    /** Ends a reclaimed generation for everyone: nothing is charged, the reservation is released. */
    GenerationEvent reclaim(ReclaimedGeneration r) {
        return new GenerationAbandoned(r.generationId(), r.tenantId(), r.attempt(), RECLAIMED,
                QueueRepository.reclaimMessage(reclaimAfter));
    }

    static GenerationEvent expiry(ExpiredGeneration e) {
        if (e.attempt() == 0) {
            return new GenerationCancelled(e.generationId(), e.tenantId(), "deadline_passed", true);
        }
        String last = e.lastErrorMessage() == null ? "" : ": " + e.lastErrorMessage();
        return new GenerationAbandoned(e.generationId(), e.tenantId(), e.attempt(),
                e.lastErrorType() == null ? "deadline_passed" : e.lastErrorType(),
                "deadline passed before attempt " + (e.attempt() + 1) + last);
    }

    static GenerationDispatched event(ReleasedGeneration r) {
        try {
            ObjectNode input = (ObjectNode) EventCodec.mapper().readTree(r.inputJson());
            return new GenerationDispatched(r.generationId(), r.tenantId(), r.spec(), input, r.attempt(),
                    r.falPriority());
        } catch (JsonProcessingException | ClassCastException e) {
            // The column is jsonb written from an ObjectNode: this cannot happen short of manual edits.
            throw new IllegalStateException("stored input of " + r.generationId() + " is not a JSON object", e);
        }
    }

    static FairShare.Policy policy(DispatcherConfig.Tenants tenants) {
        Map<String, DispatcherConfig.TenantOverride> overrides = tenants.overrides();
        return new FairShare.Policy() {
            @Override
            public int weight(String tenantId) {
                DispatcherConfig.TenantOverride o = overrides.get(tenantId);
                return Math.max(1, o == null ? tenants.weight() : o.weight().orElse(tenants.weight()));
            }

            @Override
            public int maxInFlight(String tenantId) {
                DispatcherConfig.TenantOverride o = overrides.get(tenantId);
                return Math.max(0, o == null ? tenants.maxInFlight() : o.maxInFlight().orElse(tenants.maxInFlight()));
            }
        };
    }
}
