package ai.vidgen.faladapter.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollBackoffTest {

    private final PollBackoff backoff = new PollBackoff(Duration.ofSeconds(1), 1.5, Duration.ofSeconds(10), 0.2);

    @Test
    void growsFromInitialToMax() {
        assertEquals(Duration.ofMillis(1000), backoff.next(0, () -> 0.5));
        assertEquals(Duration.ofMillis(1500), backoff.next(1, () -> 0.5));
        assertEquals(Duration.ofMillis(2250), backoff.next(2, () -> 0.5));
        assertEquals(Duration.ofSeconds(10), backoff.next(20, () -> 0.5));
        assertEquals(Duration.ofSeconds(10), backoff.next(Integer.MAX_VALUE, () -> 0.5));
    }

    @Test
    void jitterSpreadsBothWays() {
        assertEquals(Duration.ofMillis(800), backoff.next(0, () -> 0.0));
        assertEquals(Duration.ofMillis(1200), backoff.next(0, () -> 1.0));
        Duration capped = backoff.next(50, () -> 0.99);
        assertTrue(capped.toMillis() <= 12_000 && capped.toMillis() >= 8_000);
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class,
                () -> new PollBackoff(Duration.ofSeconds(5), 1.5, Duration.ofSeconds(1), 0.2));
        assertThrows(IllegalArgumentException.class,
                () -> new PollBackoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(10), 0.2));
        assertThrows(IllegalArgumentException.class,
                () -> new PollBackoff(Duration.ofSeconds(1), 1.5, Duration.ofSeconds(10), 1.0));
    }

    @Test
    void priorityIsNormalOrLow() {
        assertEquals("low", FalPriority.normalise(" LOW ", "normal"));
        assertEquals("normal", FalPriority.normalise("normal", "low"));
        assertEquals("normal", FalPriority.normalise("urgent", "normal"));
        assertEquals("normal", FalPriority.normalise(null, "normal"));
    }
}
