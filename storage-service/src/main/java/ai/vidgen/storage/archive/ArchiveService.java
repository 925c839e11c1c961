package ai.vidgen.storage.archive;

import ai.vidgen.events.ArchiveFailed;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.VideoArchived;
import ai.vidgen.storage.config.StorageConfig;
import ai.vidgen.storage.domain.ArchiveFailure;
import ai.vidgen.storage.domain.FailureReason;
import ai.vidgen.storage.domain.ObjectKeys;
import ai.vidgen.storage.domain.VideoStatus;
import ai.vidgen.storage.persistence.VideoEntity;
import ai.vidgen.storage.persistence.VideoRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jboss.logging.Logger;

/**
 * Turns a {@link GenerationCompleted} into the event that answers it: {@link VideoArchived} or
 * {@link ArchiveFailed}.
 *
 * <p>The database row decides what to do, which makes a redelivered event harmless: an archived
 * generation is answered from the row without a download, a failed one with the same failure, and
 * one left half-way by a crash is archived again under the same key.
 *
 * <p>Threading: this runs on a Vert.x duplicated context (Hibernate Reactive needs one). The
 * blocking attempt goes to a worker with {@code executeBlocking} on that same context, whose
 * result comes back on it, so the database calls that follow still find their context.
 */
@ApplicationScoped
public class ArchiveService {

    private static final Logger LOG = Logger.getLogger(ArchiveService.class);

    private final VideoRepository videos;
    private final Archiver archiver;
    private final ArchiveMetrics metrics;
    private final StorageConfig.Archive config;

    public ArchiveService(VideoRepository videos, Archiver archiver, ArchiveMetrics metrics, StorageConfig config) {
        this.videos = videos;
        this.archiver = archiver;
        this.metrics = metrics;
        this.config = config.archive();
    }

    /** Must be subscribed on a Vert.x duplicated context. */
    public Uni<GenerationEvent> archive(GenerationCompleted event) {
        if (!ObjectKeys.isSafeId(event.generationId()) || !ObjectKeys.isSafeId(event.tenantId())) {
            // Not recorded: an id that cannot be a path segment may not fit the table either.
            metrics.failed(FailureReason.INVALID_EVENT, Duration.ZERO);
            return Uni.createFrom().item(new ArchiveFailed(event.generationId(), event.tenantId(),
                    FailureReason.INVALID_EVENT.code(), "tenant and generation ids must be usable in an object key"));
        }
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            if (context == null) {
                throw new IllegalStateException("archive() must be subscribed on a Vert.x context");
            }
            return videos.claim(event.generationId(), event.tenantId(), event.attempt())
                    .chain(() -> Panache.withSession(() -> videos.findById(event.generationId())))
                    .chain(row -> decide(row, event, context));
        });
    }

    private Uni<GenerationEvent> decide(VideoEntity row, GenerationCompleted event, Context context) {
        if (!row.tenantId.equals(event.tenantId())) {
            LOG.warnf("generation %s completed for tenant %s but is recorded for another tenant; not archived",
                    event.generationId(), event.tenantId());
            metrics.failed(FailureReason.TENANT_MISMATCH, Duration.ZERO);
            return Uni.createFrom().item(new ArchiveFailed(event.generationId(), event.tenantId(),
                    FailureReason.TENANT_MISMATCH.code(), "the generation belongs to another tenant"));
        }
        switch (row.status) {
            case ARCHIVED, DELETED -> {
                // DELETED: retention removed the video; the completion was answered long ago and is
                // answered the same way again, never archived a second time.
                metrics.republished();
                LOG.debugf("generation %s is archived already; re-publishing VideoArchived", row.generationId);
                return Uni.createFrom().item(archivedEvent(row));
            }
            case FAILED -> {
                if (event.attempt() <= row.attempt) {
                    return Uni.createFrom().item(failedEvent(row));
                }
                // A later fal attempt produced a new video: archive that one.
                return Panache.withTransaction(() -> videos.findById(row.generationId).invoke(r -> {
                    r.status = VideoStatus.ARCHIVING;
                    r.attempt = event.attempt();
                    r.failureReason = null;
                    r.failureMessage = null;
                    r.updatedAt = now();
                })).chain(r -> run(r, event, context));
            }
            default -> {
                return run(row, event, context);
            }
        }
    }

    private Uni<GenerationEvent> run(VideoEntity row, GenerationCompleted event, Context context) {
        LocalDate day = LocalDate.ofInstant(row.firstAttemptAt, ZoneOffset.UTC);
        long started = System.nanoTime();
        return Uni.createFrom().deferred(() -> {
            String key = ObjectKeys.videoKey(row.tenantId, row.generationId, day);
            return attempt(event, key, context, 1);
        }).onItemOrFailure().transformToUni((video, failure) -> {
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (failure instanceof ArchiveFailure archiveFailure) {
                return markFailed(event, archiveFailure, took);
            }
            if (failure != null) {
                return Uni.createFrom().failure(failure); // infrastructure: the consumer retries it
            }
            return markArchived(event, video, took);
        });
    }

    /** One download-verify-store on a worker, repeated with backoff while the failure is retryable. */
    private Uni<ArchivedVideo> attempt(GenerationCompleted event, String key, Context context, int number) {
        io.vertx.mutiny.core.Context ctx = io.vertx.mutiny.core.Context.newInstance(context);
        return ctx.executeBlocking(() -> archiver.archive(event, key), false)
                .onFailure(ArchiveFailure::isRetryable).recoverWithUni(failure -> {
                    ArchiveFailure f = (ArchiveFailure) failure;
                    if (number >= config.maxAttempts()) {
                        return Uni.createFrom().failure(f);
                    }
                    Duration backoff = backoff(number);
                    LOG.infof("archive attempt %d of %d for generation %s failed (%s: %s); retrying in %s",
                            number, config.maxAttempts(), event.generationId(), f.reason().code(), f.getMessage(), backoff);
                    metrics.retried(f.reason());
                    // The delay runs on a timer thread; executeBlocking on the captured context brings
                    // the next result back onto it.
                    return Uni.createFrom().voidItem().onItem().delayIt().by(backoff)
                            .chain(() -> attempt(event, key, context, number + 1));
                });
    }

    Duration backoff(int failedAttempts) {
        Duration delay = config.initialBackoff().multipliedBy(1L << Math.min(failedAttempts - 1, 20));
        return delay.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : delay;
    }

    private Uni<GenerationEvent> markArchived(GenerationCompleted event, ArchivedVideo video, Duration took) {
        return Panache.withTransaction(() -> videos.findById(event.generationId()).invoke(row -> {
            Instant now = now();
            row.status = VideoStatus.ARCHIVED;
            row.objectKey = video.objectKey();
            row.location = video.location();
            row.contentType = video.contentType();
            row.bytes = video.bytes();
            row.sha256 = video.sha256();
            row.durationMs = video.mp4().durationMillis();
            row.width = video.mp4().width();
            row.height = video.mp4().height();
            row.videoCodec = video.mp4().videoCodec();
            row.hasAudio = video.mp4().hasAudio();
            row.posterKey = video.posterKey();
            row.archivedAt = now;
            row.updatedAt = now;
            row.failureReason = null;
            row.failureMessage = null;
        })).map(row -> {
            metrics.archived(video, took);
            LOG.infof("archived generation %s: %d bytes, %d ms, %dx%d %s%s at %s", row.generationId, row.bytes,
                    row.durationMs, row.width, row.height, row.videoCodec, row.hasAudio ? " with audio" : "",
                    row.objectKey);
            return archivedEvent(row);
        });
    }

    private Uni<GenerationEvent> markFailed(GenerationCompleted event, ArchiveFailure failure, Duration took) {
        return Panache.withTransaction(() -> videos.findById(event.generationId()).invoke(row -> {
            row.status = VideoStatus.FAILED;
            row.failureReason = failure.reason().code();
            row.failureMessage = failure.getMessage();
            row.updatedAt = now();
        })).map(row -> {
            metrics.failed(failure.reason(), took);
            LOG.warnf("could not archive generation %s: %s (%s)", row.generationId, failure.reason().code(),
                    failure.getMessage());
            return failedEvent(row);
        });
    }

    static VideoArchived archivedEvent(VideoEntity row) {
        return new VideoArchived(row.generationId, row.tenantId, row.objectKey, row.location, row.contentType,
                row.bytes, row.sha256, row.durationMs, row.width, row.height, row.hasAudio);
    }

    static ArchiveFailed failedEvent(VideoEntity row) {
        return new ArchiveFailed(row.generationId, row.tenantId, row.failureReason, row.failureMessage);
    }

    /** Microseconds, as PostgreSQL stores them, so a value read back equals the one written. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
