package ai.vidgen.platform.shutdown;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class WorkInFlightTest {

    private final WorkInFlight work = new WorkInFlight();

    @Test
    void theShutdownWaitsForTheUnitInFlightAndStartsNoNewOne() throws Exception {
        CompletableFuture<String> falAnswer = new CompletableFuture<>();
        CompletableFuture<String> handled = work.run(() -> Uni.createFrom().completionStage(falAnswer),
                () -> Uni.createFrom().item("refused")).subscribeAsCompletionStage();

        work.stopAdmitting();
        AtomicBoolean started = new AtomicBoolean();
        String later = work.run(() -> {
            started.set(true);
            return Uni.createFrom().item("ran");
        }, () -> Uni.createFrom().item("refused")).await().indefinitely();
        assertThat(later).isEqualTo("refused");
        assertThat(started).isFalse();

        assertThat(work.awaitIdle(Instant.now().plusMillis(100))).as("the unit in flight is still running").isFalse();
        CompletableFuture<Boolean> idle = CompletableFuture.supplyAsync(() -> {
            try {
                return work.awaitIdle(Instant.now().plusSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        falAnswer.complete("request-1");
        assertThat(idle.get()).isTrue();
        assertThat(handled.get()).isEqualTo("request-1");
        assertThat(work.running()).isZero();
    }

    @Test
    void aFailedOrCancelledUnitNoLongerCounts() throws Exception {
        work.run(() -> Uni.createFrom().failure(new IllegalStateException("database down")), Uni.createFrom()::nothing)
                .subscribe().with(ok -> { }, failure -> { });
        work.run(() -> Uni.createFrom().nothing(), Uni.createFrom()::nothing).subscribe().with(ok -> { }).cancel();
        work.stopAdmitting();
        assertThat(work.awaitIdle(Instant.now().plusSeconds(1))).isTrue();
    }
}
