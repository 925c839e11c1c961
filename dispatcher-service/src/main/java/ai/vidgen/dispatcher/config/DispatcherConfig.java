package ai.vidgen.dispatcher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** Admission control settings; every key can be overridden by its environment variable. */
@ConfigMapping(prefix = "dispatcher")
public interface DispatcherConfig {

    /** How many generations may be dispatched to fal and not yet finished, across all replicas. */
    @WithDefault("4")
    @Min(1)
    int maxInFlight();

    /**
     * The period of the safety-net pass (reservations, dispatch, outbox relay, metrics). Passes
     * also run right after the events that can make progress possible, e.g. {@code 1s} or {@code 500ms}.
     */
    @WithDefault("1s")
    Duration passInterval();

    Reservation reservation();

    Outbox outbox();

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

    interface Outbox {
        /**
         * How many outbox events one relay pass publishes (pipelined; kept below the Kafka sink's
         * 1024 in-flight messages).
         */
        @WithDefault("100")
        @Min(1)
        @Max(1000)
        int batchSize();

        /**
         * How long the relay waits for the broker's acks of one batch before it gives up the pass
         * (the batch stays in the outbox and is published again).
         */
        @WithDefault("30s")
        Duration publishTimeout();
    }
}
