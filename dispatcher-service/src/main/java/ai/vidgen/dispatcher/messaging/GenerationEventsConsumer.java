package ai.vidgen.dispatcher.messaging;

import ai.vidgen.dispatcher.domain.Admission;
import ai.vidgen.dispatcher.domain.Priority;
import ai.vidgen.dispatcher.persistence.NewGeneration;
import ai.vidgen.dispatcher.persistence.QueueRepository;
import ai.vidgen.events.GenerationCancelled;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationRejected;
import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.events.envelope.UndecodableEventException;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code generation-events}. The consumer only touches this service's database, so a
 * record is never held for long:
 * <ul>
 *   <li>GenerationRequested stores the generation as RESERVING (once: the primary key absorbs a
 *       redelivery) and kicks the reservation worker;</li>
 *   <li>GenerationCompleted / GenerationFailed of the dispatched attempt, GenerationCancelled and
 *       a GenerationRejected from downstream end the generation (DONE), which frees its slot, and
 *       kick a dispatch pass;</li>
 *   <li>everything else is acknowledged and ignored (including the rejections this service
 *       publishes itself: their rows are already REJECTED).</li>
 * </ul>
 * A record that is not a platform CloudEvent, or a GenerationRequested that breaks the contract,
 * is nacked and lands in {@code generation-dead-letters}. A database failure is retried with
 * backoff here, never dead-lettered.
 */
@ApplicationScoped
public class GenerationEventsConsumer {

    private static final Logger LOG = Logger.getLogger(GenerationEventsConsumer.class);

    private final QueueRepository queue;
    private final ReservationWorker reservations;
    private final DispatchWorker dispatch;

    public GenerationEventsConsumer(QueueRepository queue, ReservationWorker reservations, DispatchWorker dispatch) {
        this.queue = queue;
        this.reservations = reservations;
        this.dispatch = dispatch;
    }

    @Incoming("generation-events")
    public Uni<Void> consume(String value) {
        DecodedEvent decoded;
        try {
            decoded = EventCodec.decode(value);
        } catch (UndecodableEventException e) {
            LOG.warnf("dead-lettering an undecodable record: %s", e.getMessage());
            return Uni.createFrom().failure(e);
        }
        GenerationEvent event = decoded.data();
        if (event instanceof GenerationRequested requested) {
            return onRequested(requested);
        }
        if (event instanceof GenerationCompleted completed) {
            return onAttemptEnded(completed.generationId(), completed.attempt(), "completed");
        }
        if (event instanceof GenerationFailed failed) {
            // The foundation treats every failure as final; retrying retryable ones comes later.
            return onAttemptEnded(failed.generationId(), failed.attempt(), "failed");
        }
        if (event instanceof GenerationCancelled cancelled) {
            return onGenerationEnded(cancelled.generationId(), "cancelled");
        }
        if (event instanceof GenerationRejected rejected) {
            return onGenerationEnded(rejected.generationId(), "rejected");
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> onRequested(GenerationRequested r) {
        Optional<String> defect = Admission.defect(r);
        if (defect.isPresent()) {
            String reason = "GenerationRequested " + r.generationId() + " cannot be queued: " + defect.get();
            LOG.warnf("dead-lettering: %s", reason);
            return Uni.createFrom().failure(new UndecodableEventException(reason));
        }
        NewGeneration generation = new NewGeneration(r.generationId(), r.tenantId(), r.spec(), json(r),
                Priority.parse(r.priority()), r.deadline(), r.acceptedAt());
        return withRetry("store " + r.generationId(), () -> queue.insertIfAbsent(generation))
                .invoke(inserted -> {
                    if (inserted) {
                        LOG.debugf("stored %s of tenant %s", r.generationId(), r.tenantId());
                    }
                    reservations.kick();
                })
                .replaceWithVoid();
    }

    private Uni<Void> onAttemptEnded(String generationId, int attempt, String outcome) {
        return withRetry("finish " + generationId, () -> queue.finishAttempt(generationId, attempt, outcome))
                .invoke(freed -> freed(generationId, freed, outcome))
                .replaceWithVoid();
    }

    private Uni<Void> onGenerationEnded(String generationId, String outcome) {
        return withRetry("finish " + generationId, () -> queue.finishGeneration(generationId, outcome))
                .invoke(ended -> freed(generationId, ended, outcome))
                .replaceWithVoid();
    }

    private void freed(String generationId, boolean changed, String outcome) {
        if (changed) {
            LOG.infof("%s ended: %s", generationId, outcome);
            dispatch.kick();
        }
    }

    private static <T> Uni<T> withRetry(String what, Supplier<Uni<T>> work) {
        return Uni.createFrom().<T>deferred(work::get)
                .onFailure().invoke(e -> LOG.warnf("%s failed, retrying: %s", what, e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely();
    }

    private static String json(GenerationRequested r) {
        try {
            return EventCodec.mapper().writeValueAsString(r.input());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the input of " + r.generationId(), e);
        }
    }
}
