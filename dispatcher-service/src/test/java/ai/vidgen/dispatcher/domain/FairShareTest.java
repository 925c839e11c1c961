package ai.vidgen.dispatcher.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vidgen.dispatcher.domain.FairShare.Candidate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FairShareTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static FairShare.Policy policy(Map<String, Integer> weights, Map<String, Integer> limits) {
        return new FairShare.Policy() {
            @Override
            public int weight(String tenantId) {
                return weights.getOrDefault(tenantId, 1);
            }

            @Override
            public int maxInFlight(String tenantId) {
                return limits.getOrDefault(tenantId, 0);
            }
        };
    }

    private static List<Candidate> line(String tenant, Priority priority, int n, int startSecond) {
        List<Candidate> line = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            line.add(new Candidate(tenant + "-" + i, tenant, priority, T0.plusSeconds(startSecond + i)));
        }
        return line;
    }

    @Test
    void aSmallTenantIsServedWhileABigOneHoldsTheSlots() {
        List<Candidate> candidates = new ArrayList<>(line("big", Priority.INTERACTIVE, 5, 0));
        candidates.addAll(line("small", Priority.INTERACTIVE, 5, 100));
        // big holds 3 slots, 3 free: small gets them up to an equal share, then turns alternate
        List<String> picked = FairShare.pick(5, candidates, Map.of("big", 3L), policy(Map.of(), Map.of()));
        assertEquals(List.of("small-0", "small-1", "small-2", "big-0", "small-3"), picked);
    }

    @Test
    void weightsSplitTheSlots() {
        List<Candidate> candidates = new ArrayList<>(line("a", Priority.INTERACTIVE, 10, 0));
        candidates.addAll(line("b", Priority.INTERACTIVE, 10, 0));
        List<String> picked = FairShare.pick(8, candidates, Map.of(), policy(Map.of("a", 3), Map.of()));
        assertEquals(6, picked.stream().filter(id -> id.startsWith("a-")).count());
        assertEquals(2, picked.stream().filter(id -> id.startsWith("b-")).count());
    }

    @Test
    void interactiveGoesBeforeBatchWhateverTheShares() {
        List<Candidate> candidates = new ArrayList<>(line("a", Priority.BATCH, 3, 0));
        candidates.addAll(line("b", Priority.INTERACTIVE, 2, 50));
        List<String> picked = FairShare.pick(3, candidates, Map.of("b", 10L), policy(Map.of(), Map.of()));
        assertEquals(List.of("b-0", "b-1", "a-0"), picked);
    }

    @Test
    void aTenantAtItsOwnLimitWaitsEvenWithFreeSlots() {
        List<Candidate> candidates = new ArrayList<>(line("a", Priority.INTERACTIVE, 5, 0));
        assertEquals(List.of("a-0"), FairShare.pick(4, candidates, Map.of("a", 1L), policy(Map.of(), Map.of("a", 2))));
        assertEquals(List.of(), FairShare.pick(4, candidates, Map.of("a", 2L), policy(Map.of(), Map.of("a", 2))));
    }

    @Test
    void equalSharesGoToTheOlderHead() {
        List<Candidate> candidates = new ArrayList<>(line("late", Priority.INTERACTIVE, 1, 10));
        candidates.addAll(line("early", Priority.INTERACTIVE, 1, 5));
        assertEquals(List.of("early-0", "late-0"), FairShare.pick(2, candidates, Map.of(), policy(Map.of(), Map.of())));
        assertEquals(List.of(), FairShare.pick(0, candidates, Map.of(), policy(Map.of(), Map.of())));
    }
}
