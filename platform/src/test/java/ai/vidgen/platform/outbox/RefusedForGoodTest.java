package ai.vidgen.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class RefusedForGoodTest {

    @Test
    void aRecordTooLargeIsSetAsideWhereverItIsWrapped() {
        assertThat(OutboxRelay.refusedForGood(new RecordTooLargeException("1.2 MB"))).isTrue();
        assertThat(OutboxRelay.refusedForGood(new CompletionException(new RecordTooLargeException("1.2 MB")))).isTrue();
    }

    @Test
    void aBrokerThatIsAwayIsWaitedFor() {
        assertThat(OutboxRelay.refusedForGood(new TimeoutException("expired"))).isFalse();
        assertThat(OutboxRelay.refusedForGood(new NotLeaderOrFollowerException("moving"))).isFalse();
        assertThat(OutboxRelay.refusedForGood(new IllegalStateException("emitter not ready"))).isFalse();
    }
}
