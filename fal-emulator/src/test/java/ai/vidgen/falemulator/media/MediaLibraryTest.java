package ai.vidgen.falemulator.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.falemulator.domain.AspectRatio;
import ai.vidgen.falemulator.domain.VideoSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaLibraryTest {

    @TempDir
    Path dir;

    /** Writes a few bytes instead of running ffmpeg, after being released, and counts its runs. */
    static final class FakeRenderer extends FfmpegRenderer {
        final AtomicInteger renders = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean fail;

        FakeRenderer(Path dir) {
            super(new TestConfig(dir, "ffmpeg"));
        }

        @Override
        public void render(VideoSpec spec, Path target, Path logFile) {
            renders.incrementAndGet();
            try {
                if (!release.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
                if (fail) {
                    throw new RenderException("boom");
                }
                Files.write(target, new byte[] {1, 2, 3});
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void concurrentRequestsForOneSpecShareOneRender() throws Exception {
        FakeRenderer renderer = new FakeRenderer(dir);
        MediaLibrary library = new MediaLibrary(renderer, new TestConfig(dir, "ffmpeg"));
        VideoSpec spec = new VideoSpec(5, AspectRatio.DEFAULT, true);

        List<CompletableFuture<MediaFile>> clips = new ArrayList<>();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread caller = new Thread(() -> {
                CompletableFuture<MediaFile> clip = library.clipFor(spec);
                synchronized (clips) {
                    clips.add(clip);
                }
            });
            callers.add(caller);
            caller.start();
        }
        for (Thread caller : callers) {
            caller.join();
        }
        renderer.release.countDown();

        for (CompletableFuture<MediaFile> clip : clips) {
            assertEquals(new MediaFile(spec.fileName(), 3), clip.get(10, TimeUnit.SECONDS));
        }
        assertEquals(1, renderer.renders.get());
        assertEquals(List.of(dir.resolve(spec.fileName())), listed(), "no scratch files are left behind");

        // Later requests, and a fresh library over the same directory, reuse the file.
        library.clipFor(spec).get(10, TimeUnit.SECONDS);
        new MediaLibrary(renderer, new TestConfig(dir, "ffmpeg")).clipFor(spec).get(10, TimeUnit.SECONDS);
        assertEquals(1, renderer.renders.get());
    }

    @Test
    void aFailedRenderIsRetriedByTheNextRequest() throws Exception {
        FakeRenderer renderer = new FakeRenderer(dir);
        renderer.fail = true;
        renderer.release.countDown();
        MediaLibrary library = new MediaLibrary(renderer, new TestConfig(dir, "ffmpeg"));
        VideoSpec spec = new VideoSpec(3, AspectRatio.SQUARE_1_1, false);

        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> library.clipFor(spec).get(10, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof RenderException);

        renderer.fail = false;
        MediaFile file = library.clipFor(spec).get(10, TimeUnit.SECONDS);
        assertEquals(spec.fileName(), file.fileName());
        assertEquals(2, renderer.renders.get());
        assertEquals(List.of(dir.resolve(spec.fileName())), listed());
    }

    private List<Path> listed() throws IOException {
        try (var files = Files.list(dir)) {
            return files.toList();
        }
    }
}
