package ai.vidgen.request.messaging;

import ai.vidgen.request.config.RequestConfig;
import ai.vidgen.request.persistence.ReadModelRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Housekeeping of the read model: the dedup keys of folded events ({@code processed_events}) are
 * purged once they are older than {@code request.dedup-retention}, which outlasts Kafka's retention,
 * so no redelivery can arrive after its key is gone. (The outbox cleans up after itself: the
 * platform's relay deletes each row once the broker acknowledged it.)
 */
@ApplicationScoped
public class ReadModelMaintenance {

    private static final Logger LOG = Logger.getLogger(ReadModelMaintenance.class);

    private final ReadModelRepository readModel;
    private final RequestConfig config;

    public ReadModelMaintenance(ReadModelRepository readModel, RequestConfig config) {
        this.readModel = readModel;
        this.config = config;
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> purge() {
        return readModel.purgeProcessed(config.dedupRetention())
                .invoke(keys -> LOG.debugf("purged %d dedup keys", keys))
                .onFailure().invoke(f -> LOG.warnf("dedup key purge failed: %s", f))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
