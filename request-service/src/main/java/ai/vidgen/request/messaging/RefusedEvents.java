package ai.vidgen.request.messaging;

import ai.vidgen.platform.outbox.OutboxEventRefused;
import ai.vidgen.request.persistence.ReadModelRepository;
import ai.vidgen.request.persistence.ReadModelRepository.RefusedEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Keeps the promise of a 202 when the broker refuses one of this service's events for good (too
 * large, invalid): the platform's outbox relay sets the row aside so the others go out, and fires
 * {@link OutboxEventRefused}; nobody else will ever hear of that generation, so it is failed here
 * with {@code publish_rejected} (GET, the SSE stream and the callback show it like any failure).
 * Nothing was reserved or charged: admission never saw it.
 *
 * <p>The refusal is handled as it is reported; a report lost to a restart or a database outage is
 * picked up by a sweep of the set-aside rows every {@code request.refused-events.sweep-interval}.
 */
@ApplicationScoped
public class RefusedEvents {

    private static final Logger LOG = Logger.getLogger(RefusedEvents.class);
    private static final int SWEEP_BATCH = 100;

    private final ReadModelRepository readModel;
    private final MeterRegistry registry;

    public RefusedEvents(ReadModelRepository readModel, MeterRegistry registry) {
        this.readModel = readModel;
        this.registry = registry;
    }

    /** Called by the relay once the row is set aside; must not block (it runs on the relay's context). */
    void onRefused(@Observes OutboxEventRefused refused) {
        fail(new RefusedEvent(refused.generationId(), refused.eventId(), refused.eventType(), refused.reason()))
                // A brief database hiccup is retried here; a longer one is the sweep's.
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(5)
                .subscribe().with(ignored -> {
                }, failure -> LOG.warnf("refused event %s of %s not handled yet, the sweep will: %s",
                        refused.eventId(), refused.generationId(), failure.toString()));
    }

    @Scheduled(every = "${request.refused-events.sweep-interval}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> sweep() {
        return readModel.refusedOfWaitingGenerations(SWEEP_BATCH)
                .onItem().transformToMulti(refused -> Multi.createFrom().iterable(refused))
                .onItem().transformToUniAndConcatenate(this::fail)
                .collect().last()
                .onFailure().invoke(f -> LOG.warnf("sweep of refused events failed, next one retries: %s", f.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Boolean> fail(RefusedEvent refused) {
        return readModel.failUnpublished(refused).invoke(failed -> {
            if (failed) {
                LOG.errorf("generation %s failed: its event %s was refused for good by the broker (%s)",
                        refused.generationId(), refused.eventId(), refused.reason());
                registry.counter("vidgen.request.publish.rejected", "type", refused.eventType()).increment();
            }
        });
    }
}
