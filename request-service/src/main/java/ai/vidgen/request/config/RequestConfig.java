package ai.vidgen.request.config;

import io.quarkus.runtime.configuration.MemorySize;
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

    /**
     * Base URL under which storage-service serves archived videos and uploaded inputs to clients
     * and to fal: the host of every signed link this service hands out.
     */
    @WithDefault("http://127.0.0.1:8083")
    String storagePublicUrl();

    /** How long {@code video.url} (a signed link to the archived MP4) stays valid once rendered. */
    @WithDefault("1h")
    Duration videoUrlValidity();

    /**
     * How long the links that go into a generation's input stay valid: uploaded inline files and
     * remix's source video. fal fetches them only when the generation leaves the queue, so this
     * must outlive the longest wait there (batch work, fal retries).
     */
    @WithDefault("48h")
    Duration inputUrlValidity();

    /**
     * The longest a request waits for billing's estimate before it is accepted without one
     * (admission reserves its own estimate later, so a slow billing never blocks the front door).
     */
    @WithDefault("2s")
    Duration estimateTimeout();

    Auth auth();

    /** How long a processed event id is kept for deduplication; longer than Kafka keeps records. */
    @WithDefault("P30D")
    Duration dedupRetention();

    UrlPolicy urlPolicy();

    Limits limits();

    RefusedEvents refusedEvents();

    Webhooks webhooks();

    Commands commands();

    Sse sse();

    /**
     * The server-sent event streams of {@code GET /v1/generations/{id}/events}. A stream costs no
     * database work while nothing changes (changes arrive by PostgreSQL NOTIFY), but each holds a
     * connection and memory: the caps keep one tenant, or all of them together, from exhausting a
     * replica.
     */
    interface Sse {
        /** Streams open at once on this replica, all tenants together; beyond it {@code 429}. */
        @WithDefault("2000")
        @Min(1)
        int maxStreams();

        /** Streams one tenant may hold open at once on this replica; beyond it {@code 429}. */
        @WithDefault("50")
        @Min(1)
        int maxStreamsPerTenant();

        /**
         * How often an open stream gets a comment line, so proxies and load balancers that close
         * idle connections keep it open while the generation waits. Sends only; reads nothing.
         */
        @WithDefault("15s")
        Duration heartbeatInterval();

        /** The {@code Retry-After} of a {@code 429} for too many streams. */
        @WithDefault("5s")
        Duration retryAfter();
    }

    /** Who may send commands on {@code generation-commands}, and for which tenants. */
    interface Commands {
        /**
         * The producers' signing keys, each {@code <key id>:<secret>:<tenant>|<tenant>…}: a command
         * signed with the key (see {@code ai.vidgen.events.commands.CommandSignature}) may act for
         * those tenants only. Several keys at once, so a producer can move to a new key while the
         * old one still verifies. None configured: every command is refused.
         */
        Optional<List<String>> producerKeys();
    }

    /** How big a request may be; field limits are the catalog's ({@code InputCatalog}). */
    interface Limits {
        /**
         * The largest request body (JSON or multipart), checked before it is read: room for a 3 MB
         * image inlined as a base64 data: URI. {@code quarkus.http.limits.max-body-size} follows it.
         */
        @WithDefault("8M")
        MemorySize maxBodySize();
    }

    /**
     * Events the broker refused for good (set aside by the outbox relay): their generations are
     * failed with {@code publish_rejected} as soon as the relay reports it, and by a periodic sweep
     * of the set-aside rows for a report that was lost (a restart, a database hiccup).
     */
    interface RefusedEvents {
        /** How often the set-aside rows are swept for generations not yet failed. */
        @WithDefault("30s")
        String sweepInterval();
    }

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
