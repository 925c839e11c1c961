package ai.vidgen.storage.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mp4InspectorTest {

    private final Mp4Inspector inspector = new Mp4Inspector();

    @TempDir
    Path dir;

    private byte[] clip() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/media/clip-5s-320x180.mp4")) {
            return in.readAllBytes();
        }
    }

    private Path write(byte[] bytes) throws IOException {
        return Files.write(dir.resolve("video-" + System.nanoTime() + ".mp4"), bytes);
    }

    private FailureReason rejected(byte[] bytes) throws IOException {
        Path file = write(bytes);
        return assertThrows(ArchiveFailure.class, () -> inspector.inspect(file)).reason();
    }

    @Test
    void measuresAGoodClip() throws IOException {
        Mp4Info info = inspector.inspect(write(clip()));

        assertTrue(Math.abs(info.durationMillis() - 5000) <= 100, "duration " + info.durationMillis());
        assertEquals(320, info.width());
        assertEquals(180, info.height());
        assertEquals("avc1", info.videoCodec());
        assertTrue(info.hasAudio());
    }

    @Test
    void aClipWithoutSoundHasNoAudio() throws Exception {
        Path silent = dir.resolve("silent.mp4");
        Process ffmpeg;
        try {
            ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc=size=160x90:rate=24:duration=2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-an",
                    silent.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            ffmpeg = null;
        }
        assumeTrue(ffmpeg != null && ffmpeg.waitFor() == 0, "ffmpeg is not installed");

        Mp4Info info = inspector.inspect(silent);

        assertFalse(info.hasAudio());
        assertEquals(160, info.width());
        assertEquals(90, info.height());
        assertTrue(Math.abs(info.durationMillis() - 2000) <= 100, "duration " + info.durationMillis());
    }

    @Test
    void aFileCutAnywhereIsRefused() throws IOException {
        byte[] whole = clip();
        for (int length : new int[] {4, 20, 100, 2000, whole.length / 3, whole.length / 2, whole.length - 1}) {
            FailureReason reason = rejected(Arrays.copyOf(whole, length));
            assertTrue(reason == FailureReason.TRUNCATED || reason == FailureReason.NOT_MP4
                    || reason == FailureReason.CORRUPT_MP4, length + " bytes: " + reason);
        }
        assertEquals(FailureReason.TRUNCATED, rejected(Arrays.copyOf(whole, whole.length - 1)));
    }

    @Test
    void bytesThatAreNoMp4AreRefused() throws IOException {
        byte[] garbage = new byte[10_000];
        new Random(1).nextBytes(garbage);
        assertEquals(FailureReason.NOT_MP4, rejected(garbage));
        assertEquals(FailureReason.NOT_MP4, rejected("<html>expired</html>".getBytes()));
        assertEquals(FailureReason.NOT_MP4, rejected(new byte[0]));
    }

    @Test
    void aDamagedMovieBoxIsRefused() throws IOException {
        byte[] damaged = clip();
        // Overwrite the movie header's payload; the box structure around it stays intact.
        int mvhd = indexOf(damaged, "mvhd".getBytes());
        Arrays.fill(damaged, mvhd + 4, mvhd + 40, (byte) 0);
        FailureReason reason = rejected(damaged);
        assertEquals(FailureReason.CORRUPT_MP4, reason);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("not found");
    }
}
