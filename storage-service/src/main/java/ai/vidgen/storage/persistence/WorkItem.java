package ai.vidgen.storage.persistence;

import java.time.Instant;

/**
 * A claimed row of {@code archive_work}: what to archive, and the lease that makes this worker the
 * only one allowed to answer it.
 *
 * @param attempts   retryable failures so far
 * @param leaseOwner this claim's token; every update of the row is conditional on it
 */
public record WorkItem(String generationId, int attempt, String tenantId, String sourceUrl, Long expectedBytes,
        String expectedSha256, String traceparent, int attempts, String leaseOwner, Instant createdAt) {
}
