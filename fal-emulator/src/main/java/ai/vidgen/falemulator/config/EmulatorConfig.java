package ai.vidgen.falemulator.config;

import ai.vidgen.falemulator.domain.ValidationMode;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the emulator can be told. Every key is also an environment variable
 * ({@code emulator.inference-time} is {@code EMULATOR_INFERENCE_TIME}); the README lists them.
 */
@ConfigMapping(prefix = "emulator")
public interface EmulatorConfig {

    /**
     * Base of every URL the emulator hands out (queue URLs, media URLs). Empty means "the base
     * URL the client used to submit", which suits tests on random ports.
     */
    Optional<URI> publicBaseUrl();

    /** When set, {@code Authorization: Key <value>} must match it; otherwise any key is accepted. */
    Optional<String> apiKey();

    /** The account's limit on IN_PROGRESS requests; the rest wait in one FIFO queue. */
    @WithDefault("10")
    @Min(1)
    @Max(10_000)
    int concurrency();

    /** Minimum time a request stays IN_QUEUE, as fal's dispatch never starts a request instantly. */
    @WithDefault("500ms")
    Duration queueDelay();

    /** How long a request stays IN_PROGRESS when rendering is faster than this. */
    @WithDefault("2s")
    Duration inferenceTime();

    /** Whether invalid input is rejected by the submit call or, as fal's runners do, by the result call. */
    @WithDefault("submit")
    ValidationMode validationMode();

    /**
     * How many requests are remembered at once. At the cap the oldest completed request is
     * forgotten; when every remembered request is still live, submits get 429.
     */
    @WithDefault("10000")
    @Min(1)
    int maxRequests();

    /** How long a completed request stays queryable (fal keeps results for about an hour). */
    @WithDefault("1h")
    Duration retention();

    /** Where rendered clips are cached; files are reused across restarts. */
    @WithDefault("${java.io.tmpdir}/vidgen-fal-emulator-media")
    Path mediaDir();

    /** The ffmpeg executable, a name on PATH or an absolute path. */
    @WithDefault("ffmpeg")
    String ffmpegPath();

    /** A render that takes longer than this is killed and the request fails. */
    @WithDefault("60s")
    Duration ffmpegTimeout();

    /** How many ffmpeg processes may run at once; renders are CPU-bound. */
    @WithDefault("2")
    @Min(1)
    @Max(64)
    int renderThreads();

    /** How often an open status stream sends a {@code : ping} comment. */
    @WithDefault("15s")
    Duration streamPingInterval();

    /** How often an open status stream looks for a change of its request. */
    @WithDefault("100ms")
    Duration streamCheckInterval();

    /**
     * Faults injected from the start, {@code fault=rate[@endpoint id]} comma-separated, e.g.
     * {@code content_policy_violation=0.05,submit_rate_limited=0.01@fal-ai/kling-video/v3/pro/text-to-video}.
     * {@code PUT /_emulator/faults} replaces them at runtime.
     */
    Optional<String> faults();

    /** How long a {@code submit_slow} answer is held back. */
    @WithDefault("3s")
    Duration slowAnswerDelay();

    /**
     * How long a {@code route_timeout} answer (status, result, cancel, status stream) is held back:
     * longer than a client waits for it, so the client gives up first.
     */
    @WithDefault("45s")
    Duration routeTimeoutDelay();

    /** Over how long a {@code media_slow} output file is trickled out. */
    @WithDefault("20s")
    Duration mediaSlowDuration();

    /** {@code X-Fal-Webhook-User-Id} of every webhook delivery. */
    @WithDefault("emulator-user")
    String webhookUserId();

    /** How long a webhook receiver has to answer (fal: 15 s). */
    @WithDefault("15s")
    Duration webhookTimeout();

    /** Redeliveries after a non-2xx answer or a timeout (fal: 10 over about 2 hours). */
    @WithDefault("10")
    @Min(0)
    int webhookRetries();

    /** The first redelivery delay; it doubles per attempt (fal's schedule, scaled down). */
    @WithDefault("1s")
    Duration webhookRetryDelay();

    /** The cap of the redelivery delay. */
    @WithDefault("60s")
    Duration webhookMaxRetryDelay();

    /** How late a {@code webhook_late} delivery is. */
    @WithDefault("5s")
    Duration webhookLateDelay();

    /**
     * How long the runner may take to download one input URL (image, video, audio) before the
     * request fails with {@code file_download_error}; also the connect timeout.
     */
    @WithDefault("30s")
    Duration inputFetchTimeout();

    /** The largest input file the runner downloads; a larger one fails the request like an unreachable one. */
    @WithDefault("200M")
    MemorySize inputMaxSize();

    /** Where the webhook signing keys are published as a JWKS. */
    @WithDefault("/.well-known/jwks.json")
    String jwksPath();
}
