package ai.vidgen.falemulator.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.falemulator.domain.AspectRatio;
import ai.vidgen.falemulator.domain.InputVideo;
import ai.vidgen.falemulator.domain.VideoSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads lengths from real ffmpeg output (the emulator requires ffmpeg). */
class Mp4ProbeTest {

    @TempDir
    Path dir;

    private Path render(int seconds, boolean audio) {
        Path out = dir.resolve("clip-" + seconds + "-" + audio + ".mp4");
        new FfmpegRenderer(new TestConfig(dir, "ffmpeg"))
                .render(new VideoSpec(seconds, AspectRatio.SQUARE_1_1, audio), out, dir.resolve("log"));
        return out;
    }

    @Test
    void readsTheVideoTracksLengthAndWhetherThereIsSound() throws Exception {
        InputVideo withSound = Mp4Probe.probe(render(6, true)).orElseThrow();
        assertEquals(6.0, withSound.seconds(), 0.05);
        assertEquals(6, withSound.wholeSeconds());
        assertTrue(withSound.hasAudio());
        InputVideo silent = Mp4Probe.probe(render(3, false)).orElseThrow();
        assertEquals(3.0, silent.seconds(), 0.05);
        assertFalse(silent.hasAudio());
    }

    @Test
    void anythingElseIsNoVideo() throws Exception {
        Path text = Files.writeString(dir.resolve("a.mp4"), "not boxes at all");
        assertEquals(Optional.empty(), Mp4Probe.probe(text));
        byte[] clip = Files.readAllBytes(render(3, false));
        Path cut = Files.write(dir.resolve("cut.mp4"), Arrays.copyOf(clip, 40)); // ftyp, then the moov is missing
        assertEquals(Optional.empty(), Mp4Probe.probe(cut));
        assertEquals(Optional.empty(), Mp4Probe.probe(Files.write(dir.resolve("empty.mp4"), new byte[0])));
    }
}
