package ai.vidgen.falemulator.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The non-default behaviours, together to spare restarts: a configured key, fal-faithful late
 * validation, and an ffmpeg that cannot be found.
 */
public class StrictProfile implements QuarkusTestProfile {

    static final String KEY = "emulator-test-key";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "emulator.api-key", KEY,
                "emulator.validation-mode", "result",
                "emulator.ffmpeg-path", "/nonexistent/ffmpeg",
                // An empty cache of its own: a clip rendered by another test would hide the missing ffmpeg.
                "emulator.media-dir", emptyDir().toString());
    }

    private static Path emptyDir() {
        try {
            return Files.createTempDirectory("fal-emulator-no-ffmpeg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
