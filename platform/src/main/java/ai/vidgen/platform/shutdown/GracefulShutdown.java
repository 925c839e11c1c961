package ai.vidgen.platform.shutdown;

import ai.vidgen.platform.outbox.OutboxRelay;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * What a service does between SIGTERM and its exit, in this order:
 * <ol>
 *   <li>stop taking work: no new Kafka record is handled (a record that arrives now is left
 *       unacknowledged, so its offset is not committed and it is delivered again after the
 *       restart), the consumers' partitions are paused, scheduled jobs stop firing;</li>
 *   <li>let the work in flight finish ({@link WorkInFlight}): a record being handled is handled to
 *       the end (its state change and events durable, the record acknowledged), for at most
 *       {@code quarkus.shutdown.timeout} from the start of the shutdown;</li>
 *   <li>flush the outbox: one last relay pass publishes what the drained work committed;</li>
 *   <li>then Quarkus goes on: the Kafka connector commits the acknowledged offsets and closes,
 *       the database pool and Vert.x close, and the process exits.</li>
 * </ol>
 * Step 1 starts as soon as Quarkus begins to shut down ({@link ShutdownDelayInitiatedEvent}, with
 * {@code quarkus.shutdown.delay-enabled=true} at build time), so it overlaps the shutdown delay and
 * the wait for HTTP requests; readiness is DOWN from that moment (Quarkus' own
 * {@code Graceful Shutdown} check). Steps 2 and 3 run in the {@link ShutdownEvent}, before any bean
 * is destroyed, so everything the work needs is still open.
 */
@ApplicationScoped
public class GracefulShutdown {

    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);
    /** The outbox gets at least this long for its last pass, even when the drain used up the budget. */
    private static final Duration MIN_FLUSH = Duration.ofSeconds(5);

    private final WorkInFlight work;
    private final Instance<KafkaClientService> kafka;
    private final Instance<Scheduler> scheduler;
    private final Instance<OutboxRelay> outbox;
    private final Duration timeout;
    private final Clock clock = Clock.systemUTC();
    private final AtomicBoolean begun = new AtomicBoolean();
    private volatile Instant deadline;

    public GracefulShutdown(WorkInFlight work, Instance<KafkaClientService> kafka, Instance<Scheduler> scheduler,
            Instance<OutboxRelay> outbox,
            @ConfigProperty(name = "quarkus.shutdown.timeout", defaultValue = "25s") Duration timeout) {
        this.work = work;
        this.kafka = kafka;
        this.scheduler = scheduler;
        this.outbox = outbox;
        this.timeout = timeout;
    }

    /** The first sign of a shutdown (needs {@code quarkus.shutdown.delay-enabled=true}). */
    void onShutdownRequested(@Observes ShutdownDelayInitiatedEvent event) {
        stopTakingWork();
    }

    /** Before any other shutdown observer: beans, pools and the producer are all still open. */
    void onShutdown(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        stopTakingWork();
        try {
            drain();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("shutdown: interrupted while waiting for the work in flight");
        }
        flushOutbox();
    }

    void stopTakingWork() {
        if (!begun.compareAndSet(false, true)) {
            return;
        }
        deadline = clock.instant().plus(timeout);
        work.stopAdmitting();
        LOG.infof("shutdown: taking no new work; %d unit(s) in flight get up to %s to finish", work.running(),
                timeout);
        pauseScheduler();
        pauseConsumers();
    }

    private void drain() throws InterruptedException {
        if (work.awaitIdle(deadline)) {
            LOG.info("shutdown: the work in flight has finished");
        } else {
            // Their records stay unacknowledged and are delivered again after the restart; the
            // handlers are idempotent, so the work resumes from what was stored.
            LOG.warnf("shutdown: %d unit(s) still running after %s; they are cut off and taken up again after "
                    + "the restart", work.running(), timeout);
        }
    }

    private void flushOutbox() {
        if (!outbox.isResolvable()) {
            return;
        }
        Duration left = Duration.between(clock.instant(), deadline);
        outbox.get().flush(left.compareTo(MIN_FLUSH) < 0 ? MIN_FLUSH : left);
    }

    private void pauseScheduler() {
        try {
            if (scheduler.isResolvable() && scheduler.get().isRunning()) {
                scheduler.get().pause();
            }
        } catch (RuntimeException e) {
            LOG.debugf("shutdown: could not pause the scheduler: %s", e.toString());
        }
    }

    /**
     * Fewer records fetched for nothing; the guarantee is {@link WorkInFlight}, which starts none of
     * them (the connector's own flow control may resume a partition).
     */
    private void pauseConsumers() {
        if (!kafka.isResolvable()) {
            return;
        }
        try {
            KafkaClientService clients = kafka.get();
            for (String channel : clients.getConsumerChannels()) {
                for (KafkaConsumer<Object, Object> consumer : clients.<Object, Object>getConsumers(channel)) {
                    consumer.pause().subscribe().with(
                            paused -> LOG.debugf("shutdown: channel %s paused %s", channel, paused),
                            failure -> LOG.debugf("shutdown: channel %s not paused: %s", channel, failure.toString()));
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf("shutdown: could not pause the consumers: %s", e.toString());
        }
    }
}
