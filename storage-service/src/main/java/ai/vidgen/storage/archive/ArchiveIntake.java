package ai.vidgen.storage.archive;

import ai.vidgen.events.ArchiveFailed;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.platform.messaging.Failures;
import ai.vidgen.platform.outbox.Outbox;
import ai.vidgen.platform.tracing.TraceParent;
import ai.vidgen.storage.config.StorageConfig;
import ai.vidgen.storage.domain.FailureReason;
import ai.vidgen.storage.domain.ObjectKeys;
import ai.vidgen.storage.persistence.ArchiveWorkRepository;
import ai.vidgen.storage.persistence.NewWork;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Records completions as work items for the {@link ArchiveWorker}, the only thing the Kafka
 * consumer does with them, so a record is acknowledged within a database round trip however long
 * its video takes to archive.
 *
 * <p>Completions that arrive while a transaction is in flight are recorded together in the next
 * one (a group commit): a batch of records costs one or two transactions instead of one each.
 * Each caller's {@link Uni} completes once its row is committed, which is when the consumer may
 * acknowledge the record. A redelivered completion finds its row and records nothing.
 *
 * <p>A completion whose ids cannot name an object is answered with {@code ArchiveFailed} right
 * here, in the same transaction, through the outbox; its row is recorded as FAILED so that a
 * redelivery finds it answered.
 */
@ApplicationScoped
public class ArchiveIntake {

    private static final Logger LOG = Logger.getLogger(ArchiveIntake.class);

    private final ArchiveWorkRepository work;
    private final Outbox outbox;
    private final ArchiveWorker worker;
    private final ArchiveMetrics metrics;
    private final int batchSize;

    private final List<Waiting> waiting = new ArrayList<>();
    private boolean flushing;

    public ArchiveIntake(ArchiveWorkRepository work, Outbox outbox, ArchiveWorker worker, ArchiveMetrics metrics,
            StorageConfig config) {
        this.work = work;
        this.outbox = outbox;
        this.worker = worker;
        this.metrics = metrics;
        this.batchSize = config.archive().intakeBatchSize();
    }

    /** A completion waiting for its transaction, and where to tell its caller. */
    private record Waiting(NewWork item, ArchiveFailed refusal, UniEmitter<? super Void> caller, Context context) {
        void settle(Throwable failure) {
            Runnable tell = () -> {
                if (failure == null) {
                    caller.complete(null);
                } else {
                    caller.fail(failure);
                }
            };
            if (context == null) {
                tell.run();
            } else {
                context.runOnContext(ignored -> tell.run());
            }
        }
    }

    /** Completes once the completion is durably recorded (or was recorded before). */
    public Uni<Void> record(GenerationCompleted event, Optional<TraceParent> trace) {
        return Uni.createFrom().emitter(caller -> {
            ArchiveFailed refusal = refusal(event);
            NewWork item = new NewWork(event.generationId(), event.attempt(),
                    event.tenantId() == null ? "" : event.tenantId(), event.videoUrl(), event.fileSize(), null,
                    trace.map(TraceParent::traceparent).orElse(null),
                    refusal == null ? null : refusal.reason(), refusal == null ? null : refusal.message());
            boolean start;
            synchronized (waiting) {
                waiting.add(new Waiting(item, refusal, caller, Vertx.currentContext()));
                start = !flushing;
                flushing = true;
            }
            if (start) {
                flush();
            }
        });
    }

    private static ArchiveFailed refusal(GenerationCompleted event) {
        if (ObjectKeys.isSafeId(event.generationId()) && ObjectKeys.isSafeId(event.tenantId())) {
            return null;
        }
        return new ArchiveFailed(event.generationId(), event.tenantId(), FailureReason.INVALID_EVENT.code(),
                "tenant and generation ids must be usable in an object key");
    }

    /** Records what is waiting, a batch at a time, until nothing is. */
    private void flush() {
        List<Waiting> batch;
        synchronized (waiting) {
            if (waiting.isEmpty()) {
                flushing = false;
                return;
            }
            List<Waiting> head = waiting.subList(0, Math.min(batchSize, waiting.size()));
            batch = new ArrayList<>(head);
            head.clear();
        }
        insert(batch).subscribe().with(created -> {
            batch.forEach(w -> w.settle(null));
            flush();
        }, failure -> {
            if (batch.size() > 1 && !Failures.isTransient(failure)) {
                // One bad row must not fail its neighbours: record each on its own, so only the
                // bad one is dead-lettered.
                LOG.warnf("recording %d completions failed (%s); recording them one by one", batch.size(),
                        failure.toString());
                one(batch, 0);
                return;
            }
            batch.forEach(w -> w.settle(failure));
            flush();
        });
    }

    private void one(List<Waiting> batch, int index) {
        if (index == batch.size()) {
            flush();
            return;
        }
        Waiting w = batch.get(index);
        insert(List.of(w)).subscribe().with(created -> {
            w.settle(null);
            one(batch, index + 1);
        }, failure -> {
            w.settle(failure);
            one(batch, index + 1);
        });
    }

    private Uni<Set<String>> insert(List<Waiting> batch) {
        List<NewWork> items = batch.stream().map(Waiting::item).toList();
        return work.inTransaction(tx -> work.record(tx, items).call(created -> {
            List<ArchiveFailed> refusals = batch.stream().filter(w -> w.refusal() != null)
                    .filter(w -> created.contains(ArchiveWorkRepository.key(w.item().generationId(), w.item().attempt())))
                    .map(Waiting::refusal).toList();
            return outbox.append(tx, refusals);
        })).invoke(created -> {
            int duplicates = items.size() - created.size();
            for (int i = 0; i < duplicates; i++) {
                metrics.redelivered();
            }
            for (Waiting w : batch) {
                if (w.refusal() != null && created.contains(ArchiveWorkRepository.key(w.item().generationId(),
                        w.item().attempt()))) {
                    metrics.failed(FailureReason.INVALID_EVENT, Duration.ZERO);
                    outbox.nudge();
                }
            }
            if (created.size() > 0) {
                worker.kick();
            }
            metrics.intakeBatch(items.size());
        });
    }
}
