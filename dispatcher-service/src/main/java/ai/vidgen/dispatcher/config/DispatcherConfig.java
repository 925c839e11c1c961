package ai.vidgen.dispatcher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;

/** Admission control settings; every key can be overridden by its environment variable. */
@ConfigMapping(prefix = "dispatcher")
public interface DispatcherConfig {

    /** How many generations may be dispatched to fal and not yet finished, across all replicas. */
    @WithDefault("4")
    @Min(1)
    int maxInFlight();

    /**
     * The period of the safety-net pass (reservations, dispatch, metrics). Passes also run right
     * after the events that can make progress possible, e.g. {@code 1s} or {@code 500ms}. The outbox
     * relay is the platform's ({@code vidgen.outbox.*}).
     */
    @WithDefault("1s")
    Duration passInterval();

    Reservation reservation();

    Tenants tenants();

    Retry retry();

    /**
     * A generation DISPATCHED this long without any terminal event gets its slot back (the event
     * was lost, or the adapter lost track of it): the row becomes DONE with outcome
     * {@code reclaimed} and GenerationAbandoned(reclaimed) ends the generation (billing releases
     * the reservation; the fal-adapter stops tracking the attempt and publishes nothing more for
     * it). Keep it well above the longest generation plus the adapter's own limits (fal's queue
     * wait, the status 404 and result-fetch limits), so that it fires only for lost events.
     */
    @WithDefault("2h")
    Duration reclaimAfter();

    /** Whether {@code draft: true} requests are routed to the cheapest compatible endpoint. */
    @WithDefault("true")
    boolean draftRouting();

    Metrics metrics();

    interface Tenants {
        /** Every tenant's own in-flight limit; 0 means only the global limit applies. */
        @WithDefault("0")
        @Min(0)
        int maxInFlight();

        /** Every tenant's weight in fair sharing. */
        @WithDefault("1")
        @Min(1)
        @Max(1000)
        int weight();

        /**
         * Per-tenant exceptions: {@code dispatcher.tenants.overrides."<tenant>".weight} and
         * {@code .max-in-flight}.
         */
        Map<String, TenantOverride> overrides();
    }

    interface TenantOverride {
        OptionalInt maxInFlight();

        OptionalInt weight();
    }

    interface Retry {
        /** Attempts in total for a generation whose attempts fail with retryable errors. */
        @WithDefault("3")
        @Min(1)
        @Max(20)
        int maxAttempts();

        /** The backoff after the first failed attempt; doubled per attempt, with equal jitter. */
        @WithDefault("5s")
        Duration initialBackoff();

        /** The longest backoff between two attempts. */
        @WithDefault("2m")
        Duration maxBackoff();
    }

    interface Metrics {
        /** Tenants that get a metric tag of their own (per replica); the rest are tagged {@code other}. */
        @WithDefault("50")
        @Min(0)
        @Max(1000)
        int maxTenants();
    }

    interface Reservation {
        /** How many waiting reservations one pass claims. */
        @WithDefault("50")
        @Min(1)
        @Max(1000)
        int batchSize();

        /** How many reservation calls to billing one replica makes at once. */
        @WithDefault("4")
        @Min(1)
        @Max(64)
        int concurrency();

        /** The first wait after billing was unreachable or answered 5xx; doubled on each failure. */
        @WithDefault("200ms")
        Duration initialBackoff();

        /** The longest wait between two reservation attempts of one generation. */
        @WithDefault("30s")
        Duration maxBackoff();

        /**
         * How long a replica holds a claimed reservation before another replica may try it
         * (covers a replica that dies mid-call). Longer than the billing client's timeouts.
         */
        @WithDefault("30s")
        Duration lease();
    }
}
