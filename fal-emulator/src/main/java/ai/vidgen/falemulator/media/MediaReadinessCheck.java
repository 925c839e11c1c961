package ai.vidgen.falemulator.media;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the media directory is usable. A missing ffmpeg is reported but does not make the
 * emulator unready: the queue protocol still works and each generation fails with a clear error.
 */
@Readiness
@ApplicationScoped
public class MediaReadinessCheck implements HealthCheck {

    private final MediaLibrary media;

    public MediaReadinessCheck(MediaLibrary media) {
        this.media = media;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("fal-emulator media")
                .withData("media-dir", media.dir().toString())
                .withData("ffmpeg", media.ffmpegVersion().orElse("missing: generations will fail"));
        media.dirProblem().ifPresent(problem -> response.withData("problem", problem));
        return response.status(media.dirProblem().isEmpty()).build();
    }
}
