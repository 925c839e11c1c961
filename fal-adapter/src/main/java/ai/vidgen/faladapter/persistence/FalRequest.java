package ai.vidgen.faladapter.persistence;

import ai.vidgen.faladapter.domain.FalRequestState;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.DynamicUpdate;

/**
 * One generation attempt at fal ({@code fal_requests}). Updates write only the changed columns,
 * so the consumer and the poller, which change different columns, never overwrite each other.
 */
@Entity
@Table(name = "fal_requests")
@DynamicUpdate
public class FalRequest extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "generation_id", nullable = false, updatable = false)
    public String generationId;

    @Column(nullable = false, updatable = false)
    public int attempt;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(name = "endpoint_id", nullable = false, updatable = false)
    public String endpointId;

    @Column(name = "spec_seconds", nullable = false, updatable = false)
    public int specSeconds;

    @Column(name = "spec_audio", nullable = false, updatable = false)
    public boolean specAudio;

    @Column(name = "spec_voice_control", nullable = false, updatable = false)
    public boolean specVoiceControl;

    @Column(name = "fal_priority", nullable = false, updatable = false)
    public String falPriority;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public FalRequestState state;

    @Column(name = "fal_request_id")
    public String falRequestId;

    @Column(name = "status_url")
    public String statusUrl;

    @Column(name = "response_url")
    public String responseUrl;

    @Column(name = "cancel_url")
    public String cancelUrl;

    @Column(name = "queue_position")
    public Integer queuePosition;

    @Column(name = "log_lines_seen", nullable = false)
    public int logLinesSeen;

    @Column(name = "poll_count", nullable = false)
    public int pollCount;

    @Column(name = "poll_failures", nullable = false)
    public int pollFailures;

    @Column(name = "result_attempts", nullable = false)
    public int resultAttempts;

    @Column(name = "next_poll_at")
    public Instant nextPollAt;

    @Column(name = "submitted_published", nullable = false)
    public boolean submittedPublished;

    @Column(name = "terminal_published", nullable = false)
    public boolean terminalPublished;

    @Column(name = "error_type")
    public String errorType;

    @Column(name = "last_error")
    public String lastError;

    public Boolean retryable;

    @Column(name = "video_url")
    public String videoUrl;

    @Column(name = "content_type")
    public String contentType;

    @Column(name = "file_size")
    public Long fileSize;

    @Column(name = "inference_millis")
    public Long inferenceMillis;

    @Column(name = "created_at", nullable = false, updatable = false, insertable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "submitted_at")
    public Instant submittedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "cancel_requested_at")
    public Instant cancelRequestedAt;

    @Column(name = "cancel_sent_at")
    public Instant cancelSentAt;

    @Column(name = "cancel_before_start")
    public Boolean cancelBeforeStart;

    /** The generation's trace, as the span that consumed the dispatch saw it; null on older rows. */
    @Column(updatable = false)
    public String traceparent;
}
