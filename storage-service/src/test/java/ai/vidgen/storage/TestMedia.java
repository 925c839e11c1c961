package ai.vidgen.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real MP4 clips for the tests, made with ffmpeg (a 5 s 320x180 H.264 test pattern with an AAC
 * sine tone, faststart). Where ffmpeg is not installed, the same clip committed under
 * {@code src/test/resources/media} (made by the same command) is used instead.
 */
final class TestMedia {

    static final Path DIR = Path.of("target", "test-media");
    private static Path clip;

    private TestMedia() {
    }

    /** 5 s, 320x180, avc1 video with an aac audio track. */
    static synchronized Path clip5s() {
        if (clip == null) {
            Path out = DIR.resolve("clip-5s-320x180.mp4");
            boolean made = ffmpeg(out, List.of("-f", "lavfi", "-i", "testsrc=size=320x180:rate=24:duration=5",
                    "-f", "lavfi", "-i", "sine=frequency=440:duration=5", "-c:v", "libx264", "-preset", "veryfast",
                    "-crf", "35", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "32k", "-shortest",
                    "-movflags", "+faststart"));
            if (!made) {
                copyResource("/media/clip-5s-320x180.mp4", out);
            }
            clip = out;
        }
        return clip;
    }

    /** Whether ffmpeg runs here (the service's posters need it). */
    static boolean hasFfmpeg() {
        try {
            Process process = new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean ffmpeg(Path out, List<String> args) {
        try {
            Files.createDirectories(DIR);
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp.mp4");
            List<String> command = new java.util.ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y"));
            command.addAll(args);
            command.add(tmp.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(DIR.resolve("ffmpeg.log").toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return false;
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            return false; // no ffmpeg on this machine
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void copyResource(String resource, Path out) {
        try (InputStream in = TestMedia.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            Files.createDirectories(out.getParent());
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
