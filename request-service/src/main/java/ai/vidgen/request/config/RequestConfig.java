package ai.vidgen.request.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Settings of request-service ({@code request.*}); each one is documented in the README. */
@ConfigMapping(prefix = "request")
public interface RequestConfig {

    /**
     * The tenant of a request without {@code X-Tenant-Id}. Until API keys arrive, the header is
     * trusted as is, which suits a gateway that authenticates and sets it.
     */
    @WithDefault("default")
    String defaultTenant();

    /** Base URL under which storage-service serves archived videos to clients. */
    @WithDefault("http://127.0.0.1:8083")
    String storagePublicUrl();

    /**
     * The longest a request waits for billing's estimate before it is accepted without one
     * (admission reserves its own estimate later, so a slow billing never blocks the front door).
     */
    @WithDefault("2s")
    Duration estimateTimeout();

    /** How often {@code GET /v1/generations/{id}/events} looks for changes of the generation. */
    @WithDefault("500ms")
    Duration sseInterval();

    Auth auth();

    /** How long a processed event id is kept for deduplication; longer than Kafka keeps records. */
    @WithDefault("P30D")
    Duration dedupRetention();

    UrlPolicy urlPolicy();

    Webhooks webhooks();

    /** Which user-supplied URLs (inputs fal fetches, callback URLs) are accepted. */
    interface UrlPolicy {
        /**
         * Hosts (names or IP literals, as written in the URL) exempt from the https rule and the
         * public-address rule: the local stack's 127.0.0.1 and localhost. Empty in production.
         */
        Optional<List<String>> devHosts();

        /** How long a host name may take to resolve before the URL is refused. */
        @WithDefault("3s")
        Duration resolveTimeout();

        /**
         * Read the length of motion control's reference video (a few Range requests for its
         * moov box) to refuse one over the 10 s / 30 s limit before it is queued.
         */
        @WithDefault("true")
        boolean probeReferenceVideos();

        /**
         * How long one probe may take in all (its few Range requests together); when it runs out,
         * the open request is cancelled and the video is left for fal to judge.
         */
        @WithDefault("3s")
        Duration probeTimeout();

        /**
         * Probes running at once at most. A request arriving while all are busy is not probed
         * (fal judges its length), so a burst of slow hosts cannot pile up connections.
         */
        @WithDefault("16")
        @Min(1)
        int probeConcurrency();
    }

    /** Client callbacks (Standard Webhooks) on completed, failed, cancelled and rejected. */
    interface Webhooks {
        /** How often the worker looks for due deliveries. */
        @WithDefault("1s")
        String interval();

        /** Deliveries claimed per worker pass. */
        @WithDefault("50")
        @Min(1)
        int batchSize();

        /** Attempts before a delivery is marked failed. */
        @WithDefault("8")
        @Min(1)
        int maxAttempts();

        /** Delay before the second attempt; it doubles with each further one (with jitter). */
        @WithDefault("5s")
        Duration initialBackoff();

        /** The longest delay between two attempts. */
        @WithDefault("1h")
        Duration maxBackoff();

        /** How long one POST may take; a slower receiver counts as a failed attempt. */
        @WithDefault("10s")
        Duration timeout();
    }

    /** Who a request acts for: API keys ({@code Authorization: Bearer}), or the dev/test tenant header. */
    interface Auth {
        /**
         * Trust {@code X-Tenant-Id} (or {@link #defaultTenant()}) on requests without an
         * {@code Authorization} header. For dev, tests and the local stack only; false in prod.
         */
        @WithDefault("false")
        boolean allowTenantHeader();

        /**
         * API keys from configuration: tenant id to a comma-separated list of SHA-256 hex digests
         * of its keys ({@code request.auth.keys.acme=9f86d0…}). Keys created through the admin
         * API live in the database instead.
         */
        Map<String, String> keys();
    }
}
