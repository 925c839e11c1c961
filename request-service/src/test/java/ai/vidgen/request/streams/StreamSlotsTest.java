package ai.vidgen.request.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The caps of open streams: per tenant, per replica, and places freed exactly once. */
class StreamSlotsTest {

    @Test
    void theTenantCapRefusesOnlyThatTenant() {
        StreamSlots slots = new StreamSlots(10, 2, new SimpleMeterRegistry());
        StreamSlots.Slot first = slots.take("a");
        slots.take("a");
        StreamLimitReached full = assertThrows(StreamLimitReached.class, () -> slots.take("a"));
        assertEquals(StreamLimitReached.Scope.TENANT, full.scope());
        assertEquals(2, full.limit());
        slots.take("b");

        first.release();
        slots.take("a");
        assertEquals(3, slots.open());
    }

    @Test
    void theReplicaCapRefusesEveryTenantUntilAStreamEnds() {
        StreamSlots slots = new StreamSlots(3, 2, new SimpleMeterRegistry());
        StreamSlots.Slot a = slots.take("a");
        slots.take("b");
        slots.take("c");
        StreamLimitReached full = assertThrows(StreamLimitReached.class, () -> slots.take("d"));
        assertEquals(StreamLimitReached.Scope.REPLICA, full.scope());
        assertEquals(3, full.limit());

        a.release();
        slots.take("d");
        assertThrows(StreamLimitReached.class, () -> slots.take("e"));
    }

    @Test
    void aSlotReleasedTwiceFreesOnePlace() {
        StreamSlots slots = new StreamSlots(2, 2, new SimpleMeterRegistry());
        StreamSlots.Slot a = slots.take("a");
        slots.take("a");
        // A stream that completes and whose client also disconnects releases twice.
        a.release();
        a.release();
        assertEquals(1, slots.open());
        slots.take("a");
        assertThrows(StreamLimitReached.class, () -> slots.take("a"));
    }
}
