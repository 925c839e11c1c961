package ai.vidgen.dispatcher.messaging;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The safety net: every pass also runs periodically, so work whose trigger was lost (a crash, a
 * pass that failed while the database was down, a retry whose backoff ran out, a lease that
 * expired, work another replica left) is picked up without any event. Kicks return at once; the
 * returned Uni (run on the event loop) only refreshes the gauges. The outbox relay is the
 * platform's and keeps its own schedule ({@code vidgen.outbox.interval}).
 */
@ApplicationScoped
public class PeriodicPasses {

    private final ReservationWorker reservations;
    private final DispatchWorker dispatch;
    private final DispatcherMetrics metrics;

    public PeriodicPasses(ReservationWorker reservations, DispatchWorker dispatch, DispatcherMetrics metrics) {
        this.reservations = reservations;
        this.dispatch = dispatch;
        this.metrics = metrics;
    }

    // Not before the application runs: the passes nudge the outbox relay, whose emitter of
    // events-out is wired during startup.
    @Scheduled(identity = "dispatcher-passes", every = "${dispatcher.pass-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> tick() {
        reservations.kick();
        dispatch.kick();
        return metrics.refresh().onFailure().recoverWithNull();
    }
}
