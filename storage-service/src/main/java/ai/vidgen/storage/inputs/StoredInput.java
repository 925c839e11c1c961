package ai.vidgen.storage.inputs;

import java.time.Instant;

/**
 * An uploaded input as {@code inputs} records it, and the JSON answer of the upload.
 *
 * @param sha256 of the bytes alone (the id also covers the tenant); the ETag when it is served
 */
public record StoredInput(String id, String tenantId, String contentType, long bytes, String sha256,
        Instant createdAt) {
}
