package ai.vidgen.platform.shutdown;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Counts the units of work a graceful shutdown must let finish: a Kafka record being handled, a
 * polling round. Once the shutdown has begun ({@link #stopAdmitting()}) no new unit starts, and
 * {@link GracefulShutdown} waits for the running ones before the connections they need (database,
 * Kafka producer, HTTP clients) are closed.
 */
@ApplicationScoped
public class WorkInFlight {

    private final Clock clock = Clock.systemUTC();
    private boolean admitting = true;
    private int running;

    /**
     * Runs {@code work} and counts it until it ends (item, failure or cancellation); once the
     * shutdown has begun it does not run it and returns {@code refused} instead.
     */
    public <T> Uni<T> run(Supplier<Uni<T>> work, Supplier<Uni<T>> refused) {
        return Uni.createFrom().deferred(() -> {
            if (!enter()) {
                return refused.get();
            }
            Uni<T> unit;
            try {
                unit = work.get();
            } catch (RuntimeException e) {
                exit();
                return Uni.createFrom().failure(e);
            }
            return unit.onTermination().invoke(this::exit);
        });
    }

    /** Runs {@code work} unless the shutdown has begun (then it completes at once, doing nothing). */
    public Uni<Void> runUnlessStopping(Supplier<Uni<Void>> work) {
        return run(work, () -> Uni.createFrom().voidItem());
    }

    public synchronized boolean isStopping() {
        return !admitting;
    }

    public synchronized int running() {
        return running;
    }

    /** No unit starts from now on; the running ones go on. */
    synchronized void stopAdmitting() {
        admitting = false;
    }

    /**
     * Blocks until no unit runs or {@code deadline} passes; never call it on an event loop.
     *
     * @return true when nothing is running any more
     */
    synchronized boolean awaitIdle(Instant deadline) throws InterruptedException {
        while (running > 0) {
            long left = Duration.between(clock.instant(), deadline).toMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    private synchronized boolean enter() {
        if (!admitting) {
            return false;
        }
        running++;
        return true;
    }

    private synchronized void exit() {
        running--;
        if (running == 0) {
            notifyAll();
        }
    }
}
