package ai.vidgen.request.persistence;

import ai.vidgen.request.domain.Estimate;
import ai.vidgen.request.domain.GenerationStatus;
import ai.vidgen.request.domain.Priority;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * A generation as stored: the accepted request plus its folded read model.
 *
 * @param ranOnEndpointId the endpoint that ran it (GenerationDispatched); null until dispatched
 * @param reservedMicros  what admission holds with billing (GenerationReserved); null until reserved
 */
public record GenerationRow(
        String id,
        String tenantId,
        String endpointId,
        JsonNode input,
        int specSeconds,
        boolean specAudio,
        boolean specVoiceControl,
        Priority priority,
        Instant deadline,
        Map<String, String> metadata,
        String idempotencyKey,
        String requestHash,
        Estimate estimate,
        GenerationStatus status,
        int statusAttempt,
        String falRequestId,
        Integer queuePosition,
        Cost cost,
        Video video,
        Error error,
        Instant createdAt,
        Instant updatedAt,
        boolean draft,
        String ranOnEndpointId,
        String callbackUrl,
        Instant cancelRequestedAt,
        Long reservedMicros,
        String reservedPriceBookVersion) {

    /** The settled charge (GenerationBilled); null until billing settles. */
    public record Cost(long amountMicros, Long rateMicrosPerSecond, Integer billedSeconds, String priceBookVersion) {
    }

    /** The archived MP4 (VideoArchived); null until it is archived. */
    public record Video(String objectKey, String location, String contentType, Long bytes, String sha256,
            Long durationMillis, Integer width, Integer height, Boolean hasAudio) {
    }

    /** The last failure, rejection or cancellation reason. */
    public record Error(String type, String message, Boolean retryable) {
    }
}
