package ai.vidgen.storage.api;

import ai.vidgen.storage.persistence.VideoEntity;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** The JSON of {@code GET /v1/videos/{generationId}/metadata}: what was verified about the MP4. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VideoMetadata(
        String generationId,
        String tenantId,
        String status,
        String objectKey,
        String location,
        String contentType,
        Long bytes,
        String sha256,
        Long durationMs,
        Integer width,
        Integer height,
        String videoCodec,
        Boolean hasAudio,
        Instant archivedAt,
        String failureReason,
        String failureMessage) {

    static VideoMetadata of(VideoEntity row) {
        return new VideoMetadata(row.generationId, row.tenantId, row.status.name(), row.objectKey, row.location,
                row.contentType, row.bytes, row.sha256, row.durationMs, row.width, row.height, row.videoCodec,
                row.hasAudio, row.archivedAt, row.failureReason, row.failureMessage);
    }
}
