package ai.vidgen.storage.persistence;

import ai.vidgen.storage.domain.VideoStatus;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code videos} (see {@code V1__videos.sql}). */
@Entity
@Table(name = "videos")
public class VideoEntity extends PanacheEntityBase {

    @Id
    @Column(name = "generation_id")
    public String generationId;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(nullable = false)
    public int attempt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public VideoStatus status;

    @Column(name = "object_key")
    public String objectKey;

    public String location;

    @Column(name = "content_type")
    public String contentType;

    public Long bytes;

    public String sha256;

    @Column(name = "duration_ms")
    public Long durationMs;

    public Integer width;

    public Integer height;

    @Column(name = "video_codec")
    public String videoCodec;

    @Column(name = "has_audio")
    public Boolean hasAudio;

    @Column(name = "first_attempt_at", nullable = false, updatable = false)
    public Instant firstAttemptAt;

    /** The poster frame's object key, or null when none was made. */
    @Column(name = "poster_key")
    public String posterKey;

    @Column(name = "archived_at")
    public Instant archivedAt;

    @Column(name = "failure_reason")
    public String failureReason;

    @Column(name = "failure_message")
    public String failureMessage;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
