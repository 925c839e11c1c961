package ai.vidgen.storage.archive;

import ai.vidgen.platform.tracing.GenerationSpans;
import ai.vidgen.platform.tracing.TraceParent;
import ai.vidgen.storage.config.StorageConfig;
import ai.vidgen.storage.persistence.ArchiveWorkRepository;
import ai.vidgen.storage.persistence.WorkItem;
import io.opentelemetry.api.trace.SpanKind;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Archives the recorded completions, off the Kafka consumer: claims due work items with a lease
 * ({@code FOR UPDATE SKIP LOCKED}, so replicas share the queue), runs at most
 * {@code storage.archive.concurrency} archives at once, and renews the leases of those still
 * running. A replica that dies stops renewing; once its leases run out, another replica takes its
 * items over.
 *
 * <p>A pass runs on every {@code storage.archive.poll-interval}, when the consumer has recorded
 * something new, and whenever an archive ends; a pass asked for while one is running runs right
 * after it.
 */
@ApplicationScoped
public class ArchiveWorker {

    private static final Logger LOG = Logger.getLogger(ArchiveWorker.class);

    private final ArchiveWorkRepository work;
    private final ArchiveService archives;
    private final GenerationSpans spans;
    private final StorageConfig.Archive config;
    private final String replica = replicaName();

    private final AtomicInteger running = new AtomicInteger();
    private final Set<String> leases = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean passing = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final AtomicLong lastRenewal = new AtomicLong(System.nanoTime());
    private volatile boolean stopping;

    public ArchiveWorker(ArchiveWorkRepository work, ArchiveService archives, GenerationSpans spans,
            StorageConfig config) {
        this.work = work;
        this.archives = archives;
        this.spans = spans;
        this.config = config.archive();
    }

    private static String replicaName() {
        String host = System.getenv("HOSTNAME");
        return (host == null || host.isBlank() ? "storage" : host) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** This replica's name, the first part of its lease tokens. */
    public String replica() {
        return replica;
    }

    void stop(@Observes ShutdownEvent event) {
        // Items running now may still finish; nothing new is claimed. What is left over goes to
        // another replica when its lease runs out.
        stopping = true;
    }

    @Scheduled(every = "${storage.archive.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        renewLeases();
        kick();
    }

    /** Asks for a pass soon; returns at once. */
    public void kick() {
        if (stopping) {
            return;
        }
        if (!passing.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        again.set(false);
        int free = config.concurrency() - running.get();
        if (free <= 0) {
            passing.set(false);
            return;
        }
        work.claimDue(free, replica, config.lease()).subscribe().with(claimed -> {
            claimed.forEach(this::start);
            passing.set(false);
            if (again.get()) {
                kick();
            }
        }, failure -> {
            passing.set(false);
            LOG.warnf("claiming archive work failed, trying again on the next pass: %s", failure.toString());
        });
    }

    private void start(WorkItem item) {
        running.incrementAndGet();
        leases.add(item.leaseOwner());
        spans.within("storage-service archive", SpanKind.INTERNAL, TraceParent.of(item.traceparent()),
                        item.generationId(), () -> archives.process(item))
                .subscribe().with(done -> finished(item), failure -> {
                    if (failure instanceof ArchiveService.LeaseLost) {
                        LOG.infof("%s; the archive is the other worker's to answer", failure.getMessage());
                    } else {
                        // The lease runs out and the item is claimed again.
                        LOG.warnf("archive of generation %s attempt %d did not finish, it is taken up again once "
                                + "its lease runs out: %s", item.generationId(), item.attempt(), failure.toString());
                    }
                    finished(item);
                });
    }

    private void finished(WorkItem item) {
        leases.remove(item.leaseOwner());
        running.decrementAndGet();
        kick();
    }

    /** Renews the running items' leases, a few times per lease. */
    private void renewLeases() {
        long now = System.nanoTime();
        Duration every = config.lease().dividedBy(4);
        if (leases.isEmpty() || now - lastRenewal.get() < every.toNanos()) {
            return;
        }
        lastRenewal.set(now);
        work.renew(Set.copyOf(leases), config.lease()).subscribe().with(renewed -> {
        }, failure -> LOG.warnf("renewing %d archive leases failed: %s", leases.size(), failure.toString()));
    }

    /** Archives running in this replica now. */
    public int running() {
        return running.get();
    }
}
