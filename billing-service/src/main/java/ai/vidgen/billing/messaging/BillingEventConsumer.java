package ai.vidgen.billing.messaging;

import ai.vidgen.billing.domain.BillingMetrics;
import ai.vidgen.billing.domain.LossCause;
import ai.vidgen.billing.service.Corrections;
import ai.vidgen.billing.service.Outcomes;
import ai.vidgen.billing.service.Reservations;
import ai.vidgen.billing.service.Settlements;
import ai.vidgen.billing.service.Settlements.Delivery;
import ai.vidgen.billing.service.Settlements.Settled;
import ai.vidgen.events.ArchiveFailed;
import ai.vidgen.events.ChargeCorrected;
import ai.vidgen.events.GenerationAbandoned;
import ai.vidgen.events.GenerationCancelled;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationRejected;
import ai.vidgen.events.GenerationReserved;
import ai.vidgen.events.VideoArchived;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.platform.messaging.EventConsumers;
import ai.vidgen.platform.messaging.EventPublisher;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Settles or releases reservations at the terminal states of generations, and rebuilds
 * reservations from {@code GenerationReserved} and operators' corrections from
 * {@code ChargeCorrected} when the ledger is replayed from the topic.
 *
 * <p>Bills once, at the terminal state, never on progress: the tenant is charged when the video is
 * archived (delivered), never on fal's completion alone; a failed archive releases the reservation
 * and records fal's cost as a loss. One money outcome per generation (SETTLE or RELEASE) is
 * enforced by the ledger's indexes.
 *
 * <p>Records go through the platform's consumer template: a failure the database will get over
 * (it is down, restarting, out of connections) is retried for as long as it lasts, with the
 * readiness check {@code event consumers} DOWN meanwhile, because a valid money event must never
 * be dropped; an impossible event ({@link ai.vidgen.billing.domain.InvalidReservationException})
 * is dead-lettered at once with its reason.
 */
@ApplicationScoped
public class BillingEventConsumer {

    private static final Logger LOG = Logger.getLogger(BillingEventConsumer.class);

    private final EventConsumers consumers;
    private final Settlements settlements;
    private final EventPublisher publisher;
    private final BillingMetrics metrics;
    private final Outcomes outcomes;
    private final Reservations reservations;
    private final Corrections corrections;

    public BillingEventConsumer(EventConsumers consumers, Settlements settlements, EventPublisher publisher,
            BillingMetrics metrics, Outcomes outcomes, Reservations reservations, Corrections corrections) {
        this.consumers = consumers;
        this.reservations = reservations;
        this.corrections = corrections;
        this.settlements = settlements;
        this.publisher = publisher;
        this.metrics = metrics;
        this.outcomes = outcomes;
    }

    @Incoming("generation-events")
    public Uni<Void> consume(Message<String> message) {
        return consumers.consume("ledger", message, this::handle);
    }

    Uni<Void> handle(DecodedEvent decoded) {
        // Rows are dated by the event's time, not by when this process read it: a fresh service
        // rebuilding its ledger from the topic puts every row in the same day and budget month.
        Instant at = decoded.envelope().time() == null ? null : decoded.envelope().time().toInstant();
        return process(decoded.data(), decoded.envelope().id(), at);
    }

    private Uni<Void> process(GenerationEvent event, String eventId, Instant at) {
        if (event instanceof GenerationReserved reserved) {
            // restore validates the event first: an impossible one throws InvalidReservationException,
            // which the template dead-letters at once instead of retrying it.
            return reservations.restore(reserved, eventId, at).replaceWithVoid();
        }
        if (event instanceof GenerationCompleted completed) {
            // fal's render is not yet the tenant's video: the money is decided by its archive
            // outcome, which storage publishes after this event, on the same partition.
            return outcomes.completed(completed).chain(first -> first
                    ? settlements.released(completed.generationId()).invoke(released -> {
                        if (released) {
                            LOG.warnf("generation %s completed at fal (attempt %d) after its reservation was released: "
                                    + "not charged to tenant %s; fal's cost is recorded as a loss once it is archived",
                                    completed.generationId(), completed.attempt(), completed.tenantId());
                            metrics.lateCompletion();
                        }
                    }).replaceWithVoid()
                    : Uni.createFrom().voidItem());
        }
        if (event instanceof VideoArchived archived) {
            return settlements.archived(archived.generationId(), archived.durationMillis(), eventId, at)
                    .flatMap(this::account);
        }
        if (event instanceof ArchiveFailed failed) {
            return settlements.archiveFailed(failed.generationId(), failed.reason(), eventId, at)
                    .flatMap(this::account);
        }
        if (event instanceof GenerationFailed failed) {
            return outcomes.failed(failed).chain(() -> failed.retryable()
                    ? Uni.createFrom().voidItem()
                    : release(failed.generationId(), failed.tenantId(), "failed: " + failed.errorType(), eventId, at));
        }
        if (event instanceof GenerationAbandoned abandoned) {
            // The dispatcher's final word after retryable failures ran out: like a final failure.
            return release(abandoned.generationId(), abandoned.tenantId(), "abandoned: " + abandoned.errorType() + " after "
                    + abandoned.attempts() + " attempts", eventId, at);
        }
        if (event instanceof GenerationCancelled cancelled) {
            return release(cancelled.generationId(), cancelled.tenantId(), "cancelled: " + cancelled.reason(), eventId, at);
        }
        if (event instanceof ChargeCorrected correction) {
            return corrections.record(correction).invoke(recorded -> {
                if (recorded.isEmpty()) {
                    LOG.errorf("correction %s of %s skipped: the ledger does not know the generation",
                            correction.correctionId(), correction.generationId());
                } else if (!recorded.get().matches(correction)) {
                    LOG.errorf("correction %s of %s skipped: its id is recorded with other content",
                            correction.correctionId(), correction.generationId());
                }
            }).replaceWithVoid();
        }
        if (event instanceof GenerationRejected rejected) {
            return release(rejected.generationId(), rejected.tenantId(), "rejected: " + rejected.reason(), eventId, at);
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> release(String generationId, String tenantId, String reason, String eventId, Instant at) {
        return settlements.release(generationId, tenantId, reason, eventId, at).invoke(released -> {
            if (released) {
                metrics.released();
            }
        }).replaceWithVoid();
    }

    /** Counts what an archive outcome wrote, and announces the charge. */
    private Uni<Void> account(Delivery delivery) {
        if (delivery.released()) {
            metrics.released();
        }
        delivery.newLoss().ifPresent(loss -> {
            if (loss.lossCause() == LossCause.OVERRUN) {
                LOG.warnf("generation %s overran its reservation: %s; %d micro-dollars not charged to tenant %s",
                        loss.generationId(), loss.reason(), loss.amountMicros(), loss.tenantId());
                metrics.overrun(loss.quote().endpointId(), loss.amountMicros());
            }
            metrics.unbilledLoss(loss.lossCause(), loss.amountMicros());
        });
        return announce(delivery.settled());
    }

    /**
     * Publishes the charge every time, not only the first: if the process died after the ledger
     * commit and before the publish, the redelivered event must still announce it. The event id
     * is deterministic, so consumers see one charge either way.
     */
    private Uni<Void> announce(Optional<Settled> settled) {
        if (settled.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (settled.get().firstTime()) {
            metrics.charged(settled.get().billed());
        }
        return publisher.publish(settled.get().billed());
    }
}
