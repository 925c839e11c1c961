package ai.vidgen.dispatcher.support;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for billing-service in tests: answers {@code POST /v1/reservations} (see
 * {@link BillingStubResource}) as each tenant was scripted, and records every call.
 * A tenant nobody scripted is refused, so generations left over from other test classes never
 * take a slot. A call without the tests' service token is refused (401) before any of that.
 */
@ApplicationScoped
public class BillingStub {

    /** {@code ACCEPT_WHEN_OPENED} grants, but only once the test opens the gate: a slow billing. */
    /**
     * {@code ENDED_WHEN_OPENED} answers, once the gate opens, as billing does when the
     * generation's cancellation reached it first: 409 {@code generation_ended}.
     */
    public enum Answer { ACCEPT, BUDGET_EXCEEDED, NO_PRICE, FAIL, ACCEPT_WHEN_OPENED, ENDED_WHEN_OPENED }

    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, List<JsonNode>> calls = new ConcurrentHashMap<>();
    private final Map<String, List<String>> traceparents = new ConcurrentHashMap<>();
    private volatile java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();

    /** The tenant's next answers in order; the last one is repeated from then on. */
    public void script(String tenantId, Answer... answers) {
        if (answers.length == 0) {
            throw new IllegalArgumentException("at least one answer");
        }
        scripts.put(tenantId, new ArrayDeque<>(List.of(answers)));
    }

    /** The reservation requests billing received for a generation. */
    public List<JsonNode> calls(String generationId) {
        return List.copyOf(calls.getOrDefault(generationId, List.of()));
    }

    /** The {@code traceparent} headers of the reservation requests for a generation (absent ones left out). */
    public List<String> traceparents(String generationId) {
        return List.copyOf(traceparents.getOrDefault(generationId, List.of()));
    }

    /** Reservation calls refused with 401 because they lacked the tests' service token. */
    public int refusedCalls() {
        return refused.get();
    }

    void refused() {
        refused.incrementAndGet();
    }

    /** Holds {@code *_WHEN_OPENED} reservations again, for a test that needs the gate shut. */
    public void closeGate() {
        gate = new java.util.concurrent.CountDownLatch(1);
    }

    /** Lets every {@code *_WHEN_OPENED} reservation, held or future, be answered. */
    public void openGate() {
        gate.countDown();
    }

    void awaitGate() {
        try {
            if (!gate.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the billing stub's gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer answer(String tenantId, String generationId, JsonNode body, String traceparent) {
        calls.computeIfAbsent(generationId, id -> new CopyOnWriteArrayList<>()).add(body);
        if (traceparent != null) {
            traceparents.computeIfAbsent(generationId, id -> new CopyOnWriteArrayList<>()).add(traceparent);
        }
        Deque<Answer> script = scripts.get(tenantId);
        if (script == null) {
            return null;
        }
        synchronized (script) {
            return script.size() > 1 ? script.poll() : script.peek();
        }
    }
}
