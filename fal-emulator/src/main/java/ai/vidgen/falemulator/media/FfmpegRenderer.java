package ai.vidgen.falemulator.media;

import ai.vidgen.falemulator.config.EmulatorConfig;
import ai.vidgen.falemulator.domain.ImageSpec;
import ai.vidgen.falemulator.domain.VideoSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Renders real, playable MP4s with ffmpeg's synthetic sources: a test pattern for the picture and
 * a sine tone for the audio; stills are one frame of the pattern. Blocking: call it from a worker
 * thread only.
 */
@ApplicationScoped
public class FfmpegRenderer {

    private static final Logger LOG = Logger.getLogger(FfmpegRenderer.class);
    private static final int FRAME_RATE = 24;
    private static final int MAX_ERROR_CHARS = 2000;

    private final String ffmpeg;
    private final Duration timeout;

    public FfmpegRenderer(EmulatorConfig config) {
        this.ffmpeg = config.ffmpegPath();
        this.timeout = config.ffmpegTimeout();
    }

    /** Writes the clip to {@code target}, replacing it; ffmpeg's own log goes to {@code logFile}. */
    public void render(VideoSpec spec, Path target, Path logFile) {
        run(command(spec, target), spec.fileName(), logFile);
    }

    /** Writes the still to {@code target}, replacing it; ffmpeg's own log goes to {@code logFile}. */
    public void render(ImageSpec spec, Path target, Path logFile) {
        List<String> command = new ArrayList<>(List.of(ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc=size=%dx%d:rate=1".formatted(spec.width(), spec.height()),
                "-frames:v", "1"));
        command.addAll(switch (spec.format()) {
            case "jpeg" -> List.of("-c:v", "mjpeg", "-pix_fmt", "yuvj420p", "-q:v", "4");
            case "webp" -> List.of("-c:v", "libwebp");
            default -> List.of("-c:v", "png");
        });
        // The target carries a scratch suffix, so the muxer is named rather than guessed from it.
        command.addAll(List.of("-f", "image2", "-update", "1", target.toString()));
        run(command, spec.fileName(), logFile);
    }

    private void run(List<String> command, String fileName, Path logFile) {
        LOG.debugf("rendering %s: %s", fileName, command);
        Process process = start(command, logFile);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new RenderException("ffmpeg did not finish rendering %s within %s".formatted(fileName, timeout));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new RenderException("interrupted while rendering " + fileName, e);
        }
        if (process.exitValue() != 0) {
            throw new RenderException("ffmpeg exited with %d rendering %s: %s"
                    .formatted(process.exitValue(), fileName, tail(logFile)));
        }
    }

    /** ffmpeg's version line, or empty when it cannot be run. */
    public Optional<String> version() {
        try {
            Process process = new ProcessBuilder(ffmpeg, "-hide_banner", "-version").redirectErrorStream(true).start();
            String first;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                first = out.readLine();
                out.transferTo(Writer.nullWriter());
            }
            boolean exited = process.waitFor(10, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly();
                return Optional.empty();
            }
            if (process.exitValue() != 0 || first == null) {
                return Optional.empty();
            }
            int copyright = first.indexOf(" Copyright");
            return Optional.of((copyright > 0 ? first.substring(0, copyright) : first).trim());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    public String executable() {
        return ffmpeg;
    }

    List<String> command(VideoSpec spec, Path target) {
        String seconds = Integer.toString(spec.seconds());
        List<String> command = new ArrayList<>(List.of(ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc=size=%dx%d:rate=%d".formatted(
                        spec.aspectRatio().width(), spec.aspectRatio().height(), FRAME_RATE)));
        if (spec.audio()) {
            command.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"));
        }
        // -t on the output cuts both infinite sources to the requested length.
        command.addAll(List.of("-t", seconds, "-map", "0:v"));
        if (spec.audio()) {
            command.addAll(List.of("-map", "1:a", "-c:a", "aac", "-b:a", "64k", "-ac", "1"));
        }
        command.addAll(List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-movflags", "+faststart", "-f", "mp4", target.toString()));
        return command;
    }

    private Process start(List<String> command, Path logFile) {
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
        } catch (IOException e) {
            throw new RenderException(("cannot run ffmpeg ('%s'): %s. The fal emulator renders its output videos with "
                    + "ffmpeg; install it (apt-get install -y ffmpeg) or point emulator.ffmpeg-path at it")
                    .formatted(ffmpeg, e.getMessage()), e);
        }
    }

    /** The end of ffmpeg's log, where its error is; bounded so a chatty ffmpeg cannot flood a response. */
    private static String tail(Path logFile) {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long start = Math.max(0, file.length() - MAX_ERROR_CHARS);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(no ffmpeg log: " + e.getMessage() + ")";
        }
    }

    static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debugf("could not delete %s: %s", path, e.getMessage());
        }
    }
}
