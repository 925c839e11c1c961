package ai.vidgen.falemulator.media;

import ai.vidgen.falemulator.config.EmulatorConfig;
import ai.vidgen.falemulator.domain.ValidationMode;
import io.quarkus.runtime.configuration.MemorySize;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The defaults, with the media directory and the ffmpeg executable a test chooses. */
record TestConfig(Path mediaDir, String ffmpegPath) implements EmulatorConfig {

    @Override
    public Optional<URI> publicBaseUrl() {
        return Optional.empty();
    }

    @Override
    public Optional<String> apiKey() {
        return Optional.empty();
    }

    @Override
    public int concurrency() {
        return 10;
    }

    @Override
    public Duration queueDelay() {
        return Duration.ZERO;
    }

    @Override
    public Duration inferenceTime() {
        return Duration.ZERO;
    }

    @Override
    public ValidationMode validationMode() {
        return ValidationMode.SUBMIT;
    }

    @Override
    public int maxRequests() {
        return 100;
    }

    @Override
    public Duration retention() {
        return Duration.ofHours(1);
    }

    @Override
    public Duration ffmpegTimeout() {
        return Duration.ofSeconds(60);
    }

    @Override
    public int renderThreads() {
        return 4;
    }

    @Override
    public Duration streamPingInterval() {
        return Duration.ofSeconds(15);
    }

    @Override
    public Duration streamCheckInterval() {
        return Duration.ofMillis(100);
    }

    @Override
    public Optional<String> faults() {
        return Optional.empty();
    }

    @Override
    public Duration slowAnswerDelay() {
        return Duration.ofSeconds(3);
    }

    @Override
    public Duration routeTimeoutDelay() {
        return Duration.ofSeconds(45);
    }

    @Override
    public Duration mediaSlowDuration() {
        return Duration.ofSeconds(20);
    }

    @Override
    public String webhookUserId() {
        return "emulator-user";
    }

    @Override
    public Duration webhookTimeout() {
        return Duration.ofSeconds(15);
    }

    @Override
    public int webhookRetries() {
        return 10;
    }

    @Override
    public Duration webhookRetryDelay() {
        return Duration.ofSeconds(1);
    }

    @Override
    public Duration webhookMaxRetryDelay() {
        return Duration.ofSeconds(60);
    }

    @Override
    public Duration webhookLateDelay() {
        return Duration.ofSeconds(5);
    }

    @Override
    public Duration inputFetchTimeout() {
        return Duration.ofSeconds(30);
    }

    @Override
    public MemorySize inputMaxSize() {
        return new MemorySize(BigInteger.valueOf(200L * 1024 * 1024));
    }

    @Override
    public String jwksPath() {
        return "/.well-known/jwks.json";
    }
}
