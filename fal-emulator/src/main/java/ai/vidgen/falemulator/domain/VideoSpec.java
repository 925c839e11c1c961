package ai.vidgen.falemulator.domain;

/**
 * What a rendered clip looks like; also the cache key for rendered files, so two requests that
 * differ only in prompt share one file.
 */
public record VideoSpec(int seconds, AspectRatio aspectRatio, boolean audio) {

    public VideoSpec {
        if (seconds < 1) {
            throw new IllegalArgumentException("seconds must be positive: " + seconds);
        }
        if (aspectRatio == null) {
            throw new IllegalArgumentException("aspectRatio is required");
        }
    }

    /** A stable, filesystem- and URL-safe name, e.g. {@code kling-5s-320x180-audio.mp4}. */
    public String fileName() {
        return "kling-%ds-%dx%d-%s.mp4".formatted(
                seconds, aspectRatio.width(), aspectRatio.height(), audio ? "audio" : "silent");
    }
}
