package ai.vidgen.faladapter.domain;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The interval before the next status poll: exponential from {@code initial} by {@code factor}
 * per poll already made, capped at {@code max}, spread by ±{@code jitter} so that requests
 * submitted together do not poll together forever.
 */
public record PollBackoff(Duration initial, double factor, Duration max, double jitter) {

    public PollBackoff {
        if (initial.isNegative() || max.compareTo(initial) < 0 || factor < 1.0 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("invalid poll backoff " + initial + " x" + factor + " max " + max
                    + " jitter " + jitter);
        }
    }

    /**
     * @param pollsMade polls made so far for this request (0 before the first)
     * @param random    uniform in [0, 1)
     */
    public Duration next(int pollsMade, DoubleSupplier random) {
        double base = initial.toMillis() * Math.pow(factor, Math.max(0, Math.min(pollsMade, 64)));
        double capped = Math.min(base, max.toMillis());
        double spread = 1.0 + jitter * (2 * random.getAsDouble() - 1);
        return Duration.ofMillis(Math.max(1, Math.round(capped * spread)));
    }
}
