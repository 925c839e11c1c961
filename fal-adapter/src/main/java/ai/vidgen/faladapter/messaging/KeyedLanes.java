package ai.vidgen.faladapter.messaging;

import io.smallrye.mutiny.Uni;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs units of work concurrently, up to a limit, while the work of one key (a generation) runs
 * in arrival order: a cancel request never overtakes the Dispatched before it, a redelivery never
 * races its original. {@link #admit} completes once the work has a slot, so the caller (the Kafka
 * consumer) takes the next record while this one is still being handled, and waits when all
 * slots are busy.
 */
final class KeyedLanes {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final int limit;
    private final Map<String, CompletableFuture<Void>> tails = new HashMap<>();
    private final Deque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int running;

    KeyedLanes(int limit) {
        this.limit = Math.max(1, limit);
    }

    /**
     * Queues {@code work} behind the earlier work of {@code key}.
     *
     * @param work never fails (the consumer template settles its record itself)
     * @return completes when the work holds a slot (not when it is done)
     */
    Uni<Void> admit(String key, Supplier<Uni<Void>> work) {
        return Uni.createFrom().completionStage(this::acquire).invoke(() -> start(key, work));
    }

    private synchronized CompletableFuture<Void> acquire() {
        if (running < limit) {
            running++;
            return DONE;
        }
        CompletableFuture<Void> slot = new CompletableFuture<>();
        waiting.add(slot);
        return slot;
    }

    private void release() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            next.complete(null); // the slot passes on as it is
        }
    }

    private void start(String key, Supplier<Uni<Void>> work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> previous;
        synchronized (this) {
            previous = tails.put(key, done);
        }
        (previous == null ? DONE : previous).whenComplete((ignored, failure) -> {
            Uni<Void> unit;
            try {
                unit = work.get();
            } catch (RuntimeException e) {
                unit = Uni.createFrom().failure(e);
            }
            unit.subscribe().with(ok -> finish(key, done), f -> finish(key, done));
        });
    }

    private void finish(String key, CompletableFuture<Void> done) {
        synchronized (this) {
            tails.remove(key, done);
        }
        done.complete(null);
        release();
    }
}
