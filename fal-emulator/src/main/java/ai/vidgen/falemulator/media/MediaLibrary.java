package ai.vidgen.falemulator.media;

import ai.vidgen.falemulator.config.EmulatorConfig;
import ai.vidgen.falemulator.domain.ImageSpec;
import ai.vidgen.falemulator.domain.VideoSpec;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * The clips and stills the emulator hands out, one file per {@link VideoSpec} or {@link ImageSpec},
 * rendered on first use and reused afterwards (also across restarts). Rendering and file IO run on a small pool of their
 * own, never on an event loop; concurrent requests for one spec share a single render.
 *
 * <p>Memory stays bounded: there are at most a few hundred specs (durations x shapes x audio, and
 * shapes x resolutions x formats).
 */
@ApplicationScoped
public class MediaLibrary {

    private static final Logger LOG = Logger.getLogger(MediaLibrary.class);

    private final FfmpegRenderer renderer;
    private final Path dir;
    private final ExecutorService renderPool;
    /** By file name, which a spec fixes. */
    private final ConcurrentHashMap<String, CompletableFuture<MediaFile>> files = new ConcurrentHashMap<>();
    private volatile Optional<String> ffmpegVersion = Optional.empty();
    private volatile Optional<String> dirProblem = Optional.of("not checked yet");

    public MediaLibrary(FfmpegRenderer renderer, EmulatorConfig config) {
        this.renderer = renderer;
        this.dir = config.mediaDir().toAbsolutePath().normalize();
        this.renderPool = Executors.newFixedThreadPool(config.renderThreads(), new RenderThreads());
    }

    void onStart(@Observes StartupEvent event) {
        dirProblem = prepareDir();
        dirProblem.ifPresent(problem -> LOG.errorf("media directory %s is unusable: %s", dir, problem));
        ffmpegVersion = renderer.version();
        if (ffmpegVersion.isEmpty()) {
            LOG.warnf("ffmpeg ('%s') cannot be run: every generation will fail until it is installed "
                    + "(apt-get install -y ffmpeg) or emulator.ffmpeg-path points at it", renderer.executable());
        } else {
            LOG.infof("rendering clips with %s into %s", ffmpegVersion.get(), dir);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        renderPool.shutdownNow();
    }

    /**
     * The clip for a spec, rendering it if needed. A failed render is not reused: the next
     * request for the spec renders again (for instance after ffmpeg has been installed).
     */
    public CompletableFuture<MediaFile> clipFor(VideoSpec spec) {
        return fileFor(spec.fileName(), (target, log) -> renderer.render(spec, target, log));
    }

    /** The still for a spec, rendered like a clip. */
    public CompletableFuture<MediaFile> imageFor(ImageSpec spec) {
        return fileFor(spec.fileName(), (target, log) -> renderer.render(spec, target, log));
    }

    private CompletableFuture<MediaFile> fileFor(String fileName, BiConsumer<Path, Path> render) {
        return files.compute(fileName, (key, existing) -> existing == null || existing.isCompletedExceptionally()
                ? CompletableFuture.supplyAsync(() -> obtain(key, render), renderPool)
                : existing);
    }

    public Path dir() {
        return dir;
    }

    public Optional<String> ffmpegVersion() {
        return ffmpegVersion;
    }

    /** Why the media directory cannot be used, if it cannot. */
    public Optional<String> dirProblem() {
        return dirProblem;
    }

    private MediaFile obtain(String fileName, BiConsumer<Path, Path> render) {
        Path target = dir.resolve(fileName);
        try {
            if (Files.isRegularFile(target) && Files.size(target) > 0) {
                return new MediaFile(fileName, Files.size(target));
            }
            Files.createDirectories(dir);
            // Render beside the target under a hidden name (never served), then move it into
            // place atomically, so a half-written file is never visible, even to another process.
            String scratch = "." + fileName + "." + UUID.randomUUID();
            Path partial = dir.resolve(scratch + ".part");
            Path log = dir.resolve(scratch + ".log");
            try {
                long started = System.nanoTime();
                render.accept(partial, log);
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                LOG.infof("rendered %s in %d ms", fileName, (System.nanoTime() - started) / 1_000_000);
            } finally {
                FfmpegRenderer.deleteQuietly(partial);
                FfmpegRenderer.deleteQuietly(log);
            }
            return new MediaFile(fileName, Files.size(target));
        } catch (IOException e) {
            throw new RenderException("cannot write %s to %s: %s".formatted(fileName, dir, e.getMessage()), e);
        }
    }

    private Optional<String> prepareDir() {
        try {
            Files.createDirectories(dir);
            return Files.isWritable(dir) ? Optional.empty() : Optional.of("not writable");
        } catch (IOException | SecurityException e) {
            return Optional.of(e.toString());
        }
    }

    private static final class RenderThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "emulator-render-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
