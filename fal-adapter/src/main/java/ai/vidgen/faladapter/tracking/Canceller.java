package ai.vidgen.faladapter.tracking;

import ai.vidgen.events.GenerationCancelRequested;
import ai.vidgen.faladapter.persistence.FalRequestRepository;
import ai.vidgen.faladapter.persistence.FalRequestRepository.CancelEffect;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Takes a GenerationCancelRequested. Only durable state is written here; the fal call is the
 * poller's, which already owns every call about a tracked request and is restart-safe:
 * <ul>
 * <li>no attempt yet: a tombstone, so the Dispatched that may still come is never submitted;</li>
 * <li>an attempt at fal: the row is marked and made due now; the poller PUTs fal's cancel and
 * publishes GenerationCancelled once fal reports the request cancelled (fal's "already
 * completed" lets the normal completion stand);</li>
 * <li>an attempt whose submit has not been answered yet: marked too, and made due as soon as the
 * answer is stored, so the cancel follows the reply at once;</li>
 * <li>a finished attempt: nothing.</li>
 * </ul>
 */
@ApplicationScoped
public class Canceller {

    private static final Logger LOG = Logger.getLogger(Canceller.class);

    private final FalRequestRepository repository;
    private final AdapterMetrics metrics;
    private final Clock clock = Clock.systemUTC();

    public Canceller(FalRequestRepository repository, AdapterMetrics metrics) {
        this.repository = repository;
        this.metrics = metrics;
    }

    /** Records the cancel request; must be subscribed on a Vert.x context. Idempotent. */
    public Uni<Void> handle(GenerationCancelRequested request) {
        return repository.requestCancel(request.generationId(), request.tenantId(), request.reason(),
                        request.requestedAt(), clock.instant())
                .invoke(effect -> {
                    metrics.cancelRequest(effect.name().toLowerCase(java.util.Locale.ROOT));
                    if (effect == CancelEffect.ALREADY_DONE) {
                        LOG.debugf("generation %s: cancel request for a finished attempt ignored",
                                request.generationId());
                    } else {
                        LOG.infof("generation %s: cancel requested (%s)", request.generationId(), effect);
                    }
                })
                .replaceWithVoid();
    }
}
