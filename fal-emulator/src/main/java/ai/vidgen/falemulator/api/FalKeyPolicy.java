package ai.vidgen.falemulator.api;

import ai.vidgen.falemulator.config.EmulatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Which keys are accepted. A bean of its own because REST filters are built at static init,
 * before runtime configuration exists; this one is created on first use.
 */
@ApplicationScoped
public class FalKeyPolicy {

    private final Optional<byte[]> expected;

    public FalKeyPolicy(EmulatorConfig config) {
        this.expected = config.apiKey().filter(key -> !key.isBlank()).map(key -> key.getBytes(StandardCharsets.UTF_8));
    }

    /** Constant-time when a key is configured, so the emulator does not leak it by timing. */
    public boolean accepts(String key) {
        return expected.map(bytes -> MessageDigest.isEqual(bytes, key.getBytes(StandardCharsets.UTF_8))).orElse(true);
    }
}
