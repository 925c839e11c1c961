package ai.vidgen.storage.archive;

import ai.vidgen.storage.config.StorageConfig;
import ai.vidgen.storage.domain.Mp4Info;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * A poster frame (JPEG) of a verified MP4, made with ffmpeg in a child process. Best effort: without
 * ffmpeg, or when it fails, the video is archived without a poster. Blocking.
 */
@ApplicationScoped
public class PosterMaker {

    private static final Logger LOG = Logger.getLogger(PosterMaker.class);

    private final StorageConfig.Posters config;
    private final AtomicBoolean missingLogged = new AtomicBoolean();

    public PosterMaker(StorageConfig config) {
        this.config = config.posters();
    }

    /** @return the JPEG written next to {@code video}, or empty */
    public Optional<Path> make(Path video, Mp4Info info) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        Path out = video.resolveSibling(video.getFileName() + ".poster.jpg");
        // A frame a little into the clip (the first one is often black), never beyond its middle.
        double at = Math.min(1.0, info.durationMillis() / 2000.0);
        List<String> command = List.of(config.ffmpeg(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
                "-ss", String.format(Locale.ROOT, "%.3f", at), "-i", video.toString(), "-frames:v", "1",
                "-vf", "scale='min(" + config.width() + ",iw)':-2", "-q:v", "3", out.toString());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(config.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                LOG.warnf("ffmpeg took longer than %s for a poster; archiving without one", config.timeout());
            } else if (process.exitValue() == 0 && Files.isRegularFile(out) && Files.size(out) > 0) {
                return Optional.of(out);
            } else {
                LOG.warnf("ffmpeg exited with %d making a poster; archiving without one", process.exitValue());
            }
        } catch (IOException e) {
            if (missingLogged.compareAndSet(false, true)) {
                LOG.infof("no posters: cannot run %s (%s)", config.ffmpeg(), e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(out);
        } catch (IOException ignored) {
            // a stray work file; the janitor does not need it
        }
        return Optional.empty();
    }

    /** The poster's key: the video's key with {@code .jpg} for {@code .mp4}. */
    public static String posterKey(String videoKey) {
        return videoKey.replaceFirst("\\.mp4$", "") + ".jpg";
    }
}
