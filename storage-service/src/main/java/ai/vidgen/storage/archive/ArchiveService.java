package ai.vidgen.storage.archive;

import ai.vidgen.events.ArchiveFailed;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.VideoArchived;
import ai.vidgen.platform.outbox.Outbox;
import ai.vidgen.platform.tracing.TraceParent;
import ai.vidgen.storage.config.StorageConfig;
import ai.vidgen.storage.domain.ArchiveFailure;
import ai.vidgen.storage.domain.FailureReason;
import ai.vidgen.storage.domain.ObjectKeys;
import ai.vidgen.storage.persistence.ArchiveWorkRepository;
import ai.vidgen.storage.persistence.VideoRepository;
import ai.vidgen.storage.persistence.VideoState;
import ai.vidgen.storage.persistence.WorkItem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Archives one claimed work item and answers it: {@link VideoArchived} or, once the retries are
 * spent or the failure cannot be retried, {@link ArchiveFailed}. A retryable failure short of the
 * maximum schedules the next try in the row ({@code next_attempt_at}) instead of waiting here.
 *
 * <p>The answer, the video row and the end of the work item are one transaction, conditional on
 * this worker's lease, with the event written to the outbox: a worker whose lease was taken over
 * meanwhile changes nothing, so each item is answered exactly once.
 *
 * <p>The videos row decides what to do with an item: a generation archived (or deleted by
 * retention) or failed for this attempt already is answered, and the item ends without a second
 * download or event; one left half-way by a crash is archived again under the same key, dated by
 * its first attempt.
 *
 * <p>Threading: runs on a Vert.x duplicated context; the blocking archive goes to a worker thread
 * with {@code executeBlocking} on that same context.
 */
@ApplicationScoped
public class ArchiveService {

    private static final Logger LOG = Logger.getLogger(ArchiveService.class);

    private final VideoRepository videos;
    private final ArchiveWorkRepository work;
    private final Archiver archiver;
    private final ArchiveMetrics metrics;
    private final Outbox outbox;
    private final StorageConfig.Archive config;

    public ArchiveService(VideoRepository videos, ArchiveWorkRepository work, Archiver archiver, ArchiveMetrics metrics,
            Outbox outbox, StorageConfig config) {
        this.videos = videos;
        this.work = work;
        this.archiver = archiver;
        this.metrics = metrics;
        this.outbox = outbox;
        this.config = config.archive();
    }

    /** Thrown inside a transaction whose item this worker no longer holds: it rolls back. */
    public static final class LeaseLost extends RuntimeException {
        LeaseLost(WorkItem item) {
            super("the lease on " + item.generationId() + " attempt " + item.attempt() + " was taken over", null,
                    false, false);
        }
    }

    /** What the videos row says about a claimed item. */
    private sealed interface Plan permits Answered, Archive {
    }

    private record Answered() implements Plan {
    }

    private record Archive(String objectKey) implements Plan {
    }

    /** Must be subscribed on a Vert.x duplicated context. Fails with {@link LeaseLost} or infrastructure errors. */
    public Uni<Void> process(WorkItem item) {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            if (context == null) {
                throw new IllegalStateException("process() must be subscribed on a Vert.x context");
            }
            return videos.claim(item.generationId(), item.tenantId(), item.attempt())
                    .chain(() -> work.inTransaction(tx -> videos.lockState(tx, item.generationId())
                            .chain(state -> plan(tx, item, state))))
                    .chain(plan -> plan instanceof Archive archive ? run(item, archive.objectKey(), context)
                            : Uni.createFrom().voidItem());
        });
    }

    private Uni<Plan> plan(SqlConnection tx, WorkItem item, VideoState row) {
        if (!row.tenantId().equals(item.tenantId())) {
            LOG.warnf("generation %s completed for tenant %s but is recorded for another tenant; not archived",
                    item.generationId(), item.tenantId());
            ArchiveFailure mismatch = new ArchiveFailure(FailureReason.TENANT_MISMATCH,
                    "the generation belongs to another tenant");
            ArchiveFailed event = failed(item, mismatch);
            return answer(tx, item, "FAILED", item.attempts(), describe(event), List.of(event))
                    .invoke(() -> metrics.failed(FailureReason.TENANT_MISMATCH, Duration.ZERO))
                    .replaceWith(new Answered());
        }
        String key = ObjectKeys.videoKey(row.tenantId(), row.generationId(),
                LocalDate.ofInstant(row.firstAttemptAt(), ZoneOffset.UTC));
        return switch (row.status()) {
            // DELETED: retention removed the video; the completion was answered long ago.
            case ARCHIVED, DELETED -> answered(tx, item, "archived already");
            case FAILED -> item.attempt() <= row.attempt() ? answered(tx, item, "failed already")
                    // A later fal attempt produced a new video: archive that one.
                    : videos.restart(tx, item.generationId(), item.attempt()).replaceWith(new Archive(key));
            case ARCHIVING -> Uni.createFrom().item(new Archive(key));
        };
    }

    private Uni<Plan> answered(SqlConnection tx, WorkItem item, String why) {
        LOG.debugf("generation %s attempt %d is %s; nothing to do", item.generationId(), item.attempt(), why);
        return answer(tx, item, "DONE", item.attempts(), null, List.of()).replaceWith(new Answered());
    }

    private Uni<Void> run(WorkItem item, String key, Context context) {
        io.vertx.mutiny.core.Context ctx = io.vertx.mutiny.core.Context.newInstance(context);
        return ctx.executeBlocking(() -> archiver.archive(item, key), false)
                .onItemOrFailure().transformToUni((video, failure) -> {
                    if (failure == null) {
                        return archived(item, video);
                    }
                    if (failure instanceof ArchiveFailure archiveFailure) {
                        return failedAttempt(item, archiveFailure);
                    }
                    // Our disk, store or database: not the video's fault, so it does not count
                    // towards the maximum; tried again after a pause.
                    Duration delay = backoff(Math.max(1, item.attempts()));
                    LOG.warnf("archive of generation %s hit an infrastructure failure, trying again in %s: %s",
                            item.generationId(), delay, failure.toString());
                    return work.retryLater(item, false, delay, "infrastructure: " + failure).replaceWithVoid();
                });
    }

    private Uni<Void> archived(WorkItem item, ArchivedVideo video) {
        VideoArchived event = new VideoArchived(item.generationId(), item.tenantId(), video.objectKey(),
                video.location(), video.contentType(), video.bytes(), video.sha256(), video.mp4().durationMillis(),
                video.mp4().width(), video.mp4().height(), video.mp4().hasAudio());
        return work.inTransaction(tx -> answer(tx, item, "DONE", item.attempts(), null, List.of(event))
                        .call(() -> videos.markArchived(tx, item.generationId(), video)))
                .invoke(() -> {
                    outbox.nudge();
                    metrics.archived(video, since(item));
                    LOG.infof("archived generation %s: %d bytes, %d ms, %dx%d %s%s at %s", item.generationId(),
                            video.bytes(), video.mp4().durationMillis(), video.mp4().width(), video.mp4().height(),
                            video.mp4().videoCodec(), video.mp4().hasAudio() ? " with audio" : "", video.objectKey());
                });
    }

    private Uni<Void> failedAttempt(WorkItem item, ArchiveFailure failure) {
        int attempts = item.attempts() + 1;
        if (failure.retryable() && attempts < config.maxAttempts()) {
            Duration delay = backoff(attempts);
            LOG.infof("archive attempt %d of %d for generation %s failed (%s: %s); retrying in %s", attempts,
                    config.maxAttempts(), item.generationId(), failure.reason().code(), failure.getMessage(), delay);
            metrics.retried(failure.reason());
            return work.retryLater(item, true, delay, failure.reason().code() + ": " + failure.getMessage())
                    .invoke(kept -> {
                        if (!kept) {
                            throw new LeaseLost(item);
                        }
                    })
                    .replaceWithVoid();
        }
        ArchiveFailed event = failed(item, failure);
        return work.inTransaction(tx -> answer(tx, item, "FAILED", attempts, describe(event), List.of(event))
                        .call(() -> videos.markFailed(tx, item.generationId(), event.reason(), event.message())))
                .invoke(() -> {
                    outbox.nudge();
                    metrics.failed(failure.reason(), since(item));
                    LOG.warnf("could not archive generation %s: %s (%s)", item.generationId(), event.reason(),
                            event.message());
                });
    }

    /** Ends the item (only while the lease is this worker's) and writes its event, if any, to the outbox. */
    private Uni<Void> answer(SqlConnection tx, WorkItem item, String state, int attempts, String error,
            List<? extends GenerationEvent> events) {
        return work.finish(tx, item, state, attempts, error).chain(held -> {
            if (!held) {
                return Uni.createFrom().failure(new LeaseLost(item));
            }
            return outbox.append(tx, events, TraceParent.of(item.traceparent()));
        });
    }

    private static String describe(ArchiveFailed event) {
        return event.reason() + ": " + event.message();
    }

    private static ArchiveFailed failed(WorkItem item, ArchiveFailure failure) {
        return new ArchiveFailed(item.generationId(), item.tenantId(), failure.reason().code(), failure.getMessage());
    }

    /** initial × 2^(failures-1), capped: the delay before the next download. */
    Duration backoff(int failedAttempts) {
        Duration delay = config.initialBackoff().multipliedBy(1L << Math.min(failedAttempts - 1, 20));
        return delay.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : delay;
    }

    private static Duration since(WorkItem item) {
        return Duration.between(item.createdAt(), Instant.now());
    }
}
