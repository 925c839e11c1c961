package ai.vidgen.localstack.chaos;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * The input media of the workload, sent inline as {@code data:} URIs: the request-service moves
 * them to storage and hands fal signed links, so every image and video input also crosses
 * storage, which the chaos kills too.
 */
record ChaosMedia(String imageDataUri, String videoDataUri, int videoSeconds) {

    static ChaosMedia create(Path workDir, int videoSeconds) {
        return new ChaosMedia("data:image/png;base64," + Base64.getEncoder().encodeToString(png()),
                "data:video/mp4;base64," + Base64.getEncoder().encodeToString(mp4(workDir, videoSeconds)), videoSeconds);
    }

    private static byte[] png() {
        BufferedImage image = new BufferedImage(320, 320, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(new Color(40, 90, 160));
        graphics.fillRect(0, 0, 320, 320);
        graphics.setColor(Color.ORANGE);
        graphics.fillOval(80, 80, 160, 160);
        graphics.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A real MP4 with a sound track, as a customer's reference clip would be. */
    private static byte[] mp4(Path workDir, int seconds) {
        try {
            Files.createDirectories(workDir);
            Path file = workDir.resolve("chaos-input-" + seconds + "s.mp4");
            Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", "testsrc=size=320x240:rate=24", "-f", "lavfi", "-i", "sine=frequency=330",
                    "-t", Integer.toString(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-f", "mp4", file.toString()).redirectErrorStream(true).start();
            String output = new String(ffmpeg.getInputStream().readAllBytes());
            if (!ffmpeg.waitFor(60, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg could not make the input clip: " + output);
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
