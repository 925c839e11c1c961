package ai.vidgen.dispatcher.domain;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which waiting generations take the free slots, and in which order.
 *
 * <p>Rules, applied slot by slot:
 * <ol>
 *   <li>Priority classes are strict: while any tenant under its limit has interactive work at the
 *       head of its line, batch work waits.</li>
 *   <li>Among the tenants whose head has the best class, the one with the lowest weighted load
 *       ({@code in flight / weight}, counting what this pass already released) goes next, so a
 *       tenant with 10 waiting is served while a tenant with 500 waiting still has most of them
 *       queued. Ties go to the older head, then the tenant id (deterministic).</li>
 *   <li>A tenant at its own concurrency limit is skipped; its work waits even if slots are free.</li>
 *   <li>Within one tenant: interactive before batch, then oldest first.</li>
 * </ol>
 * Load is measured in generations, not seconds or dollars: a 10 s generation holds a fal slot
 * about as long as a 5 s one, and fal's limit is on concurrent requests.
 */
public final class FairShare {

    private FairShare() {
    }

    /** A generation waiting for a slot. */
    public record Candidate(String generationId, String tenantId, Priority priority, Instant enqueuedAt) {
    }

    /** Per-tenant weights and limits. */
    public interface Policy {
        /** The tenant's share weight (at least 1). */
        int weight(String tenantId);

        /** The tenant's own in-flight limit, or 0 when only the global limit applies. */
        int maxInFlight(String tenantId);
    }

    /**
     * @param free       slots free under the global limit
     * @param candidates waiting generations, each tenant's in its own release order (interactive
     *                   first, then oldest); tenants may interleave
     * @param inFlight   generations in flight per tenant (absent means none)
     * @return the generation ids to release, in release order, at most {@code free}
     */
    public static List<String> pick(int free, List<Candidate> candidates, Map<String, Long> inFlight, Policy policy) {
        Map<String, Deque<Candidate>> lines = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            lines.computeIfAbsent(c.tenantId(), t -> new ArrayDeque<>()).add(c);
        }
        Map<String, Long> load = new HashMap<>(inFlight);
        List<String> released = new ArrayList<>();
        while (released.size() < free) {
            String next = null;
            Candidate nextHead = null;
            for (Map.Entry<String, Deque<Candidate>> line : lines.entrySet()) {
                String tenant = line.getKey();
                Candidate head = line.getValue().peek();
                if (head == null) {
                    continue;
                }
                long tenantLoad = load.getOrDefault(tenant, 0L);
                int limit = policy.maxInFlight(tenant);
                if (limit > 0 && tenantLoad >= limit) {
                    continue;
                }
                if (nextHead == null || before(head, tenantLoad, policy.weight(tenant), nextHead,
                        load.getOrDefault(next, 0L), policy.weight(next))) {
                    next = tenant;
                    nextHead = head;
                }
            }
            if (nextHead == null) {
                break;
            }
            lines.get(next).poll();
            load.merge(next, 1L, Long::sum);
            released.add(nextHead.generationId());
        }
        return released;
    }

    private static boolean before(Candidate a, long loadA, int weightA, Candidate b, long loadB, int weightB) {
        if (a.priority() != b.priority()) {
            return a.priority() == Priority.INTERACTIVE;
        }
        // loadA / weightA < loadB / weightB, without division
        int byShare = Long.compare(loadA * Math.max(1, weightB), loadB * Math.max(1, weightA));
        if (byShare != 0) {
            return byShare < 0;
        }
        int byAge = a.enqueuedAt().compareTo(b.enqueuedAt());
        if (byAge != 0) {
            return byAge < 0;
        }
        return a.tenantId().compareTo(b.tenantId()) < 0;
    }
}
