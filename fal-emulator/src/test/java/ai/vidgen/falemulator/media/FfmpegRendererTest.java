package ai.vidgen.falemulator.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.falemulator.domain.AspectRatio;
import ai.vidgen.falemulator.domain.VideoSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real ffmpeg, which the emulator requires (the project's scripts install it). */
class FfmpegRendererTest {

    @TempDir
    Path dir;

    @Test
    void rendersTheRequestedLengthShapeAndAudio() throws Exception {
        FfmpegRenderer renderer = new FfmpegRenderer(new TestConfig(dir, "ffmpeg"));
        Path out = dir.resolve("out.mp4");
        renderer.render(new VideoSpec(3, AspectRatio.PORTRAIT_9_16, true), out, dir.resolve("log"));

        Mp4Facts mp4 = Mp4Facts.read(out);
        assertEquals(3.0, mp4.durationSeconds(), 0.1);
        assertEquals(180, mp4.width());
        assertEquals(320, mp4.height());
        assertTrue(mp4.hasVideo());
        assertTrue(mp4.hasAudio());
        assertTrue(mp4.moovBeforeMdat(), "faststart puts the index first");
    }

    @Test
    void rendersSilentClipsWithoutAnAudioTrack() throws Exception {
        FfmpegRenderer renderer = new FfmpegRenderer(new TestConfig(dir, "ffmpeg"));
        Path out = dir.resolve("out.mp4");
        renderer.render(new VideoSpec(4, AspectRatio.SQUARE_1_1, false), out, dir.resolve("log"));

        Mp4Facts mp4 = Mp4Facts.read(out);
        assertEquals(4.0, mp4.durationSeconds(), 0.1);
        assertEquals(240, mp4.width());
        assertEquals(240, mp4.height());
        assertFalse(mp4.hasAudio());
    }

    @Test
    void aMissingFfmpegFailsWithAnExplanation() {
        FfmpegRenderer renderer = new FfmpegRenderer(new TestConfig(dir, dir.resolve("no-such-ffmpeg").toString()));
        RenderException failure = assertThrows(RenderException.class, () ->
                renderer.render(new VideoSpec(3, AspectRatio.DEFAULT, false), dir.resolve("out.mp4"), dir.resolve("log")));
        assertTrue(failure.getMessage().contains("install it"), failure.getMessage());
        assertTrue(renderer.version().isEmpty());
    }
}
