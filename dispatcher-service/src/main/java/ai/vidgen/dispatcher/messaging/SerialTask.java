package ai.vidgen.dispatcher.messaging;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs one kind of pass at most once at a time in this replica, and coalesces requests: any
 * number of {@link #kick()}s during a pass cause exactly one more pass after it. Kicking never
 * blocks and never fails, so event handlers can kick freely.
 */
final class SerialTask {

    private static final Logger LOG = Logger.getLogger(SerialTask.class);

    private final String name;
    private final Supplier<Uni<Boolean>> pass;
    private final Duration timeout;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean requested = new AtomicBoolean();

    /**
     * @param pass one pass; its item says whether more work is probably waiting (run again at once)
     * @param timeout a pass that takes longer is abandoned so that later kicks are not stuck
     */
    SerialTask(String name, Supplier<Uni<Boolean>> pass, Duration timeout) {
        this.name = name;
        this.pass = pass;
        this.timeout = timeout;
    }

    void kick() {
        requested.set(true);
        drain();
    }

    private void drain() {
        if (!requested.get() || !running.compareAndSet(false, true)) {
            return;
        }
        requested.set(false);
        Uni.createFrom().deferred(pass::get)
                .ifNoItem().after(timeout).fail()
                .subscribe().with(
                        more -> finish(Boolean.TRUE.equals(more)),
                        failure -> {
                            // The periodic pass retries; no hot loop while the database is down.
                            LOG.warnf("%s pass failed: %s", name, failure.toString());
                            finish(false);
                        });
    }

    private void finish(boolean more) {
        if (more) {
            requested.set(true);
        }
        running.set(false);
        drain();
    }
}
