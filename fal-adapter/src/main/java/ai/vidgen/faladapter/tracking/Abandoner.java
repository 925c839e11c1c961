package ai.vidgen.faladapter.tracking;

import ai.vidgen.events.GenerationAbandoned;
import ai.vidgen.faladapter.client.CancelOutcome;
import ai.vidgen.faladapter.client.FalClient;
import ai.vidgen.faladapter.domain.TrackedRequest;
import ai.vidgen.faladapter.persistence.FalRequestRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Takes a GenerationAbandoned: the dispatcher ended the generation (no attempt left, deadline, or
 * its slot reclaimed), and billing releases the reservation on that event. An attempt the adapter
 * still tracks must then end without an outcome of its own, or the generation would have two:
 * <ul>
 * <li>its row becomes ABANDONED in one committed transaction, so the poller, the webhook and the
 * lost-reply sweep leave it alone and publish nothing more for it;</li>
 * <li>then fal is asked to cancel the request, best effort: fal charges only for completed
 * requests, so a cancel that takes saves the money; one that fails (fal unreachable, a crash
 * right after the commit) costs at most that render, never a second outcome.</li>
 * </ul>
 */
@ApplicationScoped
public class Abandoner {

    private static final Logger LOG = Logger.getLogger(Abandoner.class);

    private final FalRequestRepository repository;
    private final FalClient fal;
    private final AdapterMetrics metrics;
    private final VertxContexts contexts;
    private final Clock clock = Clock.systemUTC();

    public Abandoner(FalRequestRepository repository, FalClient fal, AdapterMetrics metrics, VertxContexts contexts) {
        this.repository = repository;
        this.fal = fal;
        this.metrics = metrics;
        this.contexts = contexts;
    }

    /** Must be subscribed on a Vert.x context. Idempotent: a redelivery finds nothing open. */
    public Uni<Void> handle(GenerationAbandoned abandoned) {
        Executor context = contexts.current();
        String reason = "generation ended elsewhere: abandoned (" + abandoned.errorType() + ")";
        return repository.abandon(abandoned.generationId(), abandoned.errorType(), reason, clock.instant())
                .chain(atFal -> cancelAtFal(atFal, abandoned.errorType(), context));
    }

    private Uni<Void> cancelAtFal(List<TrackedRequest> atFal, String errorType, Executor context) {
        if (atFal.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(atFal)
                .onItem().transformToUniAndConcatenate(row -> {
                    metrics.outcome("abandoned", errorType);
                    return fal.cancel(row.endpointId(), row.falRequestId(), row.cancelUrl())
                            .emitOn(context)
                            .invoke(outcome -> log(row, outcome))
                            .onFailure().recoverWithItem(f -> {
                                LOG.warnf("generation %s attempt %d: cancel of abandoned fal request %s failed: %s",
                                        row.generationId(), row.attempt(), row.falRequestId(), f.toString());
                                return null;
                            });
                })
                .collect().last().replaceWithVoid();
    }

    private static void log(TrackedRequest row, CancelOutcome outcome) {
        if (outcome instanceof CancelOutcome.Requested) {
            LOG.infof("generation %s attempt %d: abandoned; fal accepted the cancel of request %s",
                    row.generationId(), row.attempt(), row.falRequestId());
        } else {
            LOG.infof("generation %s attempt %d: abandoned; fal request %s not cancelled (%s), its outcome is "
                    + "ignored", row.generationId(), row.attempt(), row.falRequestId(), outcome);
        }
    }
}
