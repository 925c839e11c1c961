package ai.vidgen.request.messaging;

import ai.vidgen.request.config.RequestConfig;
import ai.vidgen.request.persistence.OutboxRepository;
import ai.vidgen.request.persistence.ReadModelRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Housekeeping around the relay: the backlog gauge (a growing backlog means Kafka has been
 * unreachable; alert on it) and the purge of sent rows and old dedup keys.
 */
@ApplicationScoped
public class OutboxMaintenance {

    private static final Logger LOG = Logger.getLogger(OutboxMaintenance.class);

    private final OutboxRepository outbox;
    private final ReadModelRepository readModel;
    private final RequestConfig config;
    private final AtomicLong backlog = new AtomicLong();

    public OutboxMaintenance(OutboxRepository outbox, ReadModelRepository readModel, RequestConfig config,
            MeterRegistry registry) {
        this.outbox = outbox;
        this.readModel = readModel;
        this.config = config;
        registry.gauge("vidgen.request.outbox.backlog", backlog);
    }

    @Scheduled(every = "10s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> measureBacklog() {
        return outbox.unsentCount().invoke(backlog::set)
                .onFailure().invoke(f -> LOG.debugf("cannot measure the outbox backlog: %s", f))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> purge() {
        return outbox.purgeSent(config.outbox().retention())
                .chain(sent -> readModel.purgeProcessed(config.dedupRetention())
                        .invoke(keys -> LOG.debugf("purged %d sent outbox rows and %d dedup keys", sent, keys)))
                .onFailure().invoke(f -> LOG.warnf("outbox purge failed: %s", f))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
