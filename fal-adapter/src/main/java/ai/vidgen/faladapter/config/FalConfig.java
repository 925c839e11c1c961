package ai.vidgen.faladapter.config;

import ai.vidgen.faladapter.domain.PollBackoff;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.Secret;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the adapter needs to talk to fal. Every key can be overridden by its environment
 * variable ({@code fal.queue-url} is {@code FAL_QUEUE_URL}, {@code fal.key} is {@code FAL_KEY}).
 */
@ConfigMapping(prefix = "fal")
public interface FalConfig {

    /** The queue host: {@code https://queue.fal.run} for the real fal, the emulator locally. */
    @WithDefault("https://queue.fal.run")
    URI queueUrl();

    /**
     * The fal API key ({@code key_id:key_secret}), sent as {@code Authorization: Key <key>}. A
     * {@link Secret}: SmallRye Config treats the property as secret, and neither the mapping's
     * {@code toString} nor config dumps print it.
     */
    Secret<String> key();

    /** The {@code X-Fal-Queue-Priority} used when a dispatch names none: {@code normal} or {@code low}. */
    @WithDefault("normal")
    String defaultPriority();

    /**
     * fal's start timeout, sent as {@code X-Fal-Request-Timeout} on every submit: a request no
     * runner started within it ends with 504 ({@code X-Fal-Request-Timeout-Type: user}), which the
     * adapter reports as a non-retryable {@code deadline_exceeded} failure. Unset: no start timeout.
     */
    Optional<Duration> startTimeout();

    /** The {@code User-Agent} of every fal call. */
    @WithDefault("vidgen-fal-adapter/0.1")
    String userAgent();

    Timeouts timeout();

    Dispatch dispatch();

    Submit submit();

    Poll poll();

    Result result();

    Metrics metrics();

    Webhook webhook();

    interface Webhook {
        /**
         * The adapter's base URL as fal can reach it. When set, every submit carries
         * {@code fal_webhook=<public-url>/fal/webhooks/<signed generation token>}; when unset, the
         * adapter relies on polling alone.
         */
        Optional<URI> publicUrl();

        /**
         * HMAC secret (at least 16 bytes) of the generation tokens in webhook URLs. A secret: never
         * printed. {@code random} makes a random one per process: webhook URLs handed out before a
         * restart are then refused after it (polling still tracks those requests).
         */
        @WithDefault("random")
        Secret<String> tokenSecret();

        /** fal's webhook signing keys (JWKS); the emulator publishes its own. */
        @WithDefault("https://rest.fal.ai/.well-known/jwks.json")
        URI jwksUrl();

        /** How long fetched keys are trusted; fal says at most 24 h (longer values are capped). */
        @WithDefault("24h")
        Duration jwksCacheTtl();

        /** Timeout of a JWKS fetch. */
        @WithDefault("10s")
        Duration jwksTimeout();

        /** Largest accepted difference between X-Fal-Webhook-Timestamp and now. */
        @WithDefault("300s")
        Duration maxSkew();
    }

    interface Submit {
        /**
         * How long an attempt whose submit reply was lost waits for fal's webhook before fal is
         * taken never to have received the submit (then GenerationFailed, retryable). Longer than
         * a request can take plus fal's webhook retries; only with webhooks on.
         */
        @WithDefault("3h")
        Duration lostReplyGrace();

        /** How often such attempts are looked for. */
        @WithDefault("30s")
        Duration lostReplySweep();
    }

    interface Dispatch {
        /**
         * Records of {@code generation-events} handled at once (submits, cancel requests); those
         * of one generation always one after the other.
         */
        @WithDefault("32")
        int concurrency();
    }

    interface Timeouts {
        /** TCP connect. A submit that cannot connect was never received by fal. */
        @WithDefault("5s")
        Duration connect();

        /**
         * Waiting for the submit answer. When it passes, fal may or may not have accepted the
         * request, so the attempt goes to NEEDS_ATTENTION and is never resubmitted.
         */
        @WithDefault("30s")
        Duration submit();

        /** Waiting for a status answer; a timeout only delays the next poll. */
        @WithDefault("10s")
        Duration status();

        /** Waiting for a result answer; a timeout only delays the next fetch. */
        @WithDefault("30s")
        Duration result();
    }

    interface Poll {
        /**
         * How often the poller looks for due requests (the {@code @Scheduled} period; Quarkus'
         * scheduler runs at 1 s granularity at best).
         */
        @WithDefault("1s")
        Duration tick();

        /** Most requests claimed per polling round (the oldest due first). */
        @WithDefault("500")
        int batchSize();

        /** A tick runs another round at once while rounds come back full, up to this many rounds. */
        @WithDefault("5")
        int maxRoundsPerTick();

        /** Most status or result calls in flight at once. */
        @WithDefault("64")
        int concurrency();

        /**
         * How long a claimed row stays reserved for the poller that claimed it; if that poller
         * dies the row is due again after this.
         */
        @WithDefault("60s")
        Duration lease();

        /** The first poll after a submit. */
        @WithDefault("1s")
        Duration initialInterval();

        /** Each poll waits this factor longer than the one before, up to {@link #maxInterval()}. */
        @WithDefault("1.5")
        double backoffFactor();

        @WithDefault("10s")
        Duration maxInterval();

        /** Random spread of each interval, as a fraction (0.2 = ±20 %). */
        @WithDefault("0.2")
        double jitter();

        /** The schedule these settings describe (submitter's first poll, poller's next ones alike). */
        default PollBackoff backoff() {
            return new PollBackoff(initialInterval(), backoffFactor(), maxInterval(), jitter());
        }

        /** Ask fal for logs ({@code logs=1}) and publish new lines in GenerationProgress. */
        @WithDefault("false")
        boolean logs();

        /** Consecutive 404 answers to a status poll before the request needs attention. */
        @WithDefault("10")
        int notFoundLimit();
    }

    interface Result {
        /** Result fetch failures (network, 5xx without a fal error) before the request needs attention. */
        @WithDefault("20")
        int maxAttempts();

        /** Immediate retries of a result fetch within one poll before waiting for the next. */
        @WithDefault("2")
        int immediateRetries();
    }

    interface Metrics {
        /** How often the in-flight gauges are recounted from the database. */
        @WithDefault("10s")
        Duration refresh();
    }
}
