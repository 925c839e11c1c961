package ai.vidgen.falemulator.queue;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Forgets expired results so a long-running emulator's memory stays flat. */
@ApplicationScoped
public class RetentionSweeper {

    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);

    private final QueueService queue;

    public RetentionSweeper(QueueService queue) {
        this.queue = queue;
    }

    @Scheduled(every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        int forgotten = queue.forgetExpired();
        if (forgotten > 0) {
            LOG.debugf("forgot %d expired requests", forgotten);
        }
    }
}
