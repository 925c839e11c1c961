package ai.vidgen.dispatcher.domain;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * What happens after an attempt failed with a retryable error: another attempt after an
 * exponential backoff with jitter, or none when {@code maxAttempts} have been made.
 *
 * <p>The jitter is "equal jitter": the wait is uniformly drawn from [backoff/2, backoff], so that
 * generations failing together (a fal outage) do not all come back in the same instant, while the
 * wait still grows with every attempt.
 *
 * @param maxAttempts attempts in total, the first included (3: the first and two retries)
 */
public record RetryPolicy(int maxAttempts, Backoff backoff) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
    }

    /** Whether another attempt may follow the failed attempt number {@code failedAttempt}. */
    public boolean mayRetry(int failedAttempt) {
        return failedAttempt < maxAttempts;
    }

    /**
     * The wait before the attempt after {@code failedAttempt}.
     *
     * @param random a draw from [0, 1)
     */
    public Duration delayAfter(int failedAttempt, DoubleSupplier random) {
        long full = backoff.after(failedAttempt).toMillis();
        long half = full / 2;
        return Duration.ofMillis(Math.min(full, half + (long) (random.getAsDouble() * (full - half + 1))));
    }
}
