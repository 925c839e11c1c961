package ai.vidgen.events;

/**
 * The MP4 is stored in our object storage and verified.
 *
 * @param objectKey      the key in the object store (tenant / date / generation id)
 * @param location       where the object lives, e.g. {@code file:///var/lib/vidgen/videos/...} or
 *                       {@code s3://bucket/key}
 * @param durationMillis measured from the MP4 itself
 */
public record VideoArchived(
        String generationId,
        String tenantId,
        String objectKey,
        String location,
        String contentType,
        long bytes,
        String sha256,
        long durationMillis,
        int width,
        int height,
        boolean hasAudio) implements GenerationEvent {
}
