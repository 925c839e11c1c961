package ai.vidgen.events;

/**
 * fal finished the render; the video is at a temporary fal URL until it is archived.
 *
 * @param fileSize         bytes, as fal announced them (null when fal gave none)
 * @param inferenceMillis  fal's reported inference time
 */
public record GenerationCompleted(
        String generationId,
        String tenantId,
        GenerationSpec spec,
        int attempt,
        String falRequestId,
        String videoUrl,
        String contentType,
        Long fileSize,
        Long inferenceMillis) implements AttemptEnded {
}
