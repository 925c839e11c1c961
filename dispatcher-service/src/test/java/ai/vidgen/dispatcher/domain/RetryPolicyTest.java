package ai.vidgen.dispatcher.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(3, new Backoff(Duration.ofSeconds(4), Duration.ofSeconds(10)));

    @Test
    void threeAttemptsInTotal() {
        assertTrue(policy.mayRetry(1));
        assertTrue(policy.mayRetry(2));
        assertFalse(policy.mayRetry(3));
    }

    @Test
    void backoffDoublesIsCappedAndJittersWithinItsUpperHalf() {
        assertEquals(Duration.ofSeconds(2), policy.delayAfter(1, () -> 0.0));
        assertEquals(Duration.ofSeconds(4), policy.delayAfter(1, () -> 0.999999));
        assertEquals(Duration.ofSeconds(4), policy.delayAfter(2, () -> 0.0));
        assertEquals(Duration.ofSeconds(10), policy.delayAfter(5, () -> 0.999999));
        for (int i = 0; i < 100; i++) {
            Duration d = policy.delayAfter(2, Math::random);
            assertTrue(d.compareTo(Duration.ofSeconds(4)) >= 0 && d.compareTo(Duration.ofSeconds(8)) <= 0, d.toString());
        }
    }

    @Test
    void tenantTagsAreBounded() {
        TenantTags tags = new TenantTags(2);
        assertEquals("a", tags.tag("a"));
        assertEquals("b", tags.tag("b"));
        assertEquals(TenantTags.OTHER, tags.tag("c"));
        assertEquals("a", tags.tag("a"));
        assertEquals(TenantTags.OTHER, tags.tag("bad tenant id with spaces"));
    }
}
