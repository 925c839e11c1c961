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
 * take a slot.
 */
@ApplicationScoped
public class BillingStub {

    public enum Answer { ACCEPT, BUDGET_EXCEEDED, NO_PRICE, FAIL }

    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, List<JsonNode>> calls = new ConcurrentHashMap<>();

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

    Answer answer(String tenantId, String generationId, JsonNode body) {
        calls.computeIfAbsent(generationId, id -> new CopyOnWriteArrayList<>()).add(body);
        Deque<Answer> script = scripts.get(tenantId);
        if (script == null) {
            return null;
        }
        synchronized (script) {
            return script.size() > 1 ? script.poll() : script.peek();
        }
    }
}
