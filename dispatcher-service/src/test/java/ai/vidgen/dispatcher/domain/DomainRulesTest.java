package ai.vidgen.dispatcher.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DomainRulesTest {

    @Test
    void priorityMapsToFalPriority() {
        assertEquals("normal", Priority.parse("interactive").falPriority());
        assertEquals("low", Priority.parse("batch").falPriority());
        assertEquals(Priority.INTERACTIVE, Priority.parse(null));
        assertEquals(Priority.INTERACTIVE, Priority.parse(" Interactive "));
        assertEquals(Priority.BATCH, Priority.parse("whenever"));
    }

    @Test
    void refusalsAreFinalAndOutagesAreRetried() {
        var budget = assertInstanceOf(ReservationOutcome.Refused.class,
                BillingAnswers.classify(402, "budget_exceeded", "needs $0.42"));
        assertEquals("budget_exceeded", budget.reason());
        assertEquals("needs $0.42", budget.detail());
        assertEquals("no_price", ((ReservationOutcome.Refused) BillingAnswers.classify(422, null, null)).reason());
        assertEquals("budget_exceeded", ((ReservationOutcome.Refused) BillingAnswers.classify(402, "Not A Code", null)).reason());
        assertEquals("tenant_suspended",
                ((ReservationOutcome.Refused) BillingAnswers.classify(403, "tenant_suspended", "x")).reason());

        assertInstanceOf(ReservationOutcome.Ended.class, BillingAnswers.classify(409, "generation_ended", "x"));
        assertInstanceOf(ReservationOutcome.Unavailable.class, BillingAnswers.classify(500, null, null));
        assertInstanceOf(ReservationOutcome.Unavailable.class, BillingAnswers.classify(503, "overloaded", null));
        assertInstanceOf(ReservationOutcome.Unavailable.class, BillingAnswers.classify(429, "slow_down", null));
        assertInstanceOf(ReservationOutcome.Unavailable.class, BillingAnswers.classify(404, null, null));
    }

    @Test
    void backoffDoublesUpToItsCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1));
        assertEquals(Duration.ofMillis(200), backoff.after(1));
        assertEquals(Duration.ofMillis(400), backoff.after(2));
        assertEquals(Duration.ofMillis(800), backoff.after(3));
        assertEquals(Duration.ofSeconds(1), backoff.after(4));
        assertEquals(Duration.ofSeconds(1), backoff.after(400));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
    }

    @Test
    void capacityIsNeverNegative() {
        assertEquals(2, Capacity.free(4, 2));
        assertEquals(0, Capacity.free(2, 5));
    }
}
