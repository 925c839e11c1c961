package ai.vidgen.falemulator.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One fal account's queue: a concurrency limit on IN_PROGRESS requests and a single FIFO of the
 * rest, as fal describes it (queued requests never count against the limit and are never
 * rejected for it). Pure state, no timers: the caller decides when to dispatch.
 *
 * <p>Every method holds the monitor for a few map operations only, so calling it from an event
 * loop is fine. Memory is bounded by {@code capacity}: at the cap the request that completed
 * first is forgotten.
 */
public final class AccountQueue {

    private static final int MAX_LOG_LINES = 20;
    /** A W3C traceparent is 55 characters; anything far longer is not one and is not kept. */
    private static final int MAX_TRACEPARENT_LENGTH = 256;

    private final int concurrency;
    private final int capacity;
    private final Map<String, Entry> all = new HashMap<>();
    /** Insertion order is queue order; normal priority. */
    private final LinkedHashMap<String, Entry> waiting = new LinkedHashMap<>();
    /** {@code X-Fal-Queue-Priority: low}: behind every normal request. */
    private final LinkedHashMap<String, Entry> waitingLow = new LinkedHashMap<>();
    /** Insertion order is completion order, so the head is the first to forget. */
    private final LinkedHashMap<String, Entry> completed = new LinkedHashMap<>();
    private final Map<String, Integer> submissionsByInput = new HashMap<>();
    private int running;
    private int peakRunning;
    private long totalSubmissions;

    public AccountQueue(int concurrency, int capacity) {
        if (concurrency < 1 || capacity < 1) {
            throw new IllegalArgumentException("concurrency and capacity must be positive");
        }
        this.concurrency = concurrency;
        this.capacity = capacity;
    }

    private static final class Entry {
        final NewRequest request;
        final List<LogEntry> logs = new ArrayList<>(4);
        final Map<QueueCall, String> traceparents = new EnumMap<>(QueueCall.class);
        List<InputFetch> inputFetches = List.of();
        RequestStatus status = RequestStatus.IN_QUEUE;
        Instant startedAt;
        Instant completedAt;
        Outcome outcome;
        /** fal no longer answers for it (request_forgotten); kept for the admin view only. */
        boolean forgotten;

        Entry(NewRequest request) {
            this.request = request;
        }
    }

    /** Queues a request; empty when every remembered request is still live and the cap is reached. */
    public synchronized Optional<RequestSnapshot> submit(NewRequest request) {
        if (all.containsKey(request.id())) {
            throw new IllegalArgumentException("duplicate request id " + request.id());
        }
        if (all.size() >= capacity && completed.isEmpty()) {
            return Optional.empty();
        }
        while (all.size() >= capacity) {
            forget(completed.keySet().iterator().next());
        }
        Entry entry = new Entry(request);
        all.put(request.id(), entry);
        (request.lowPriority() ? waitingLow : waiting).put(request.id(), entry);
        submissionsByInput.merge(request.inputKey(), 1, Integer::sum);
        totalSubmissions++;
        return Optional.of(snapshot(entry));
    }

    /**
     * Starts queued requests, in order, while slots are free and the head has waited its queue
     * delay. A head that is not yet eligible blocks those behind it: the queue is strictly FIFO.
     */
    public synchronized Dispatch startEligible(Instant now) {
        List<NewRequest> started = new ArrayList<>();
        for (LinkedHashMap<String, Entry> lane : List.of(waiting, waitingLow)) {
            Iterator<Entry> queue = lane.values().iterator();
            while (running < concurrency && queue.hasNext()) {
                Entry head = queue.next();
                if (head.request.eligibleAt().isAfter(now)) {
                    return new Dispatch(List.copyOf(started), Optional.of(Duration.between(now, head.request.eligibleAt())));
                }
                queue.remove();
                head.status = RequestStatus.IN_PROGRESS;
                head.startedAt = now;
                running++;
                peakRunning = Math.max(peakRunning, running);
                started.add(head.request);
            }
        }
        return new Dispatch(List.copyOf(started), Optional.empty());
    }

    /** How many requests for this endpoint are waiting (both priorities). */
    public synchronized int waitingFor(String endpointId) {
        int n = 0;
        for (LinkedHashMap<String, Entry> lane : List.of(waiting, waitingLow)) {
            for (Entry entry : lane.values()) {
                if (entry.request.endpoint().id().equals(endpointId)) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Fails a request that is still queued at its start deadline; false when it already started
     * or is gone.
     */
    public synchronized boolean expireIfQueued(String id, Outcome outcome, Instant now) {
        Entry entry = all.get(id);
        if (entry == null || entry.status != RequestStatus.IN_QUEUE) {
            return false;
        }
        waiting.remove(id);
        waitingLow.remove(id);
        addLog(entry, LogEntry.error(now, "Request timed out before it could start"));
        finish(entry, outcome, now);
        return true;
    }

    /** Completes a running request; false when it is no longer running (cancelled, forgotten). */
    public synchronized boolean complete(String id, Outcome outcome, Instant now) {
        Entry entry = all.get(id);
        if (entry == null || entry.status != RequestStatus.IN_PROGRESS) {
            return false;
        }
        running--;
        finish(entry, outcome, now);
        return true;
    }

    /**
     * Cancels a request. A queued request is removed and never runs; a running one stops at
     * once (the emulated app honours cancellation) and frees its slot. Both end COMPLETED with
     * fal's {@code client_cancelled} error.
     */
    public synchronized CancelResult cancel(String id, Instant now) {
        Entry entry = all.get(id);
        if (entry == null) {
            return CancelResult.NOT_FOUND;
        }
        switch (entry.status) {
            case COMPLETED -> {
                return CancelResult.ALREADY_COMPLETED;
            }
            case IN_QUEUE -> {
                waiting.remove(id);
                waitingLow.remove(id);
            }
            case IN_PROGRESS -> running--;
        }
        addLog(entry, LogEntry.info(now, "Cancellation requested by the client"));
        finish(entry, Outcome.cancelled(), now);
        return CancelResult.CANCELLATION_REQUESTED;
    }

    /**
     * Records the {@code traceparent} header a call about a request came with (the last one of each
     * kind), so tests can see which trace the caller was in. Nothing is kept for a missing header.
     */
    public synchronized void traced(String id, QueueCall call, String traceparent) {
        Entry entry = all.get(id);
        if (entry == null || traceparent == null || traceparent.isBlank()
                || traceparent.length() > MAX_TRACEPARENT_LENGTH) {
            return;
        }
        entry.traceparents.put(call, traceparent.strip());
    }

    /**
     * Makes a completed request unknown to fal's clients, as when fal forgets it (its retention
     * passed, or fal restarted), while the emulator keeps it for the admin view and its bill.
     * False when the request is not completed or already gone.
     */
    public synchronized boolean forgetForClients(String id) {
        Entry entry = all.get(id);
        if (entry == null || entry.status != RequestStatus.COMPLETED) {
            return false;
        }
        entry.forgotten = true;
        return true;
    }

    /** Records the runner's downloads of a request's input media (nothing for a forgotten request). */
    public synchronized void inputsFetched(String id, List<InputFetch> fetches) {
        Entry entry = all.get(id);
        if (entry != null) {
            entry.inputFetches = List.copyOf(fetches);
        }
    }

    /** Appends a runner log line to a live request. */
    public synchronized void log(String id, LogEntry line) {
        Entry entry = all.get(id);
        if (entry != null && entry.status != RequestStatus.COMPLETED) {
            addLog(entry, line);
        }
    }

    public synchronized Optional<RequestSnapshot> find(String id) {
        return Optional.ofNullable(all.get(id)).map(this::snapshot);
    }

    /** Every remembered request, oldest submission first. */
    public synchronized List<RequestSnapshot> snapshots() {
        return all.values().stream()
                .sorted(Comparator.comparing((Entry e) -> e.request.submittedAt()).thenComparing(e -> e.request.id()))
                .map(this::snapshot)
                .toList();
    }

    public synchronized QueueStats stats() {
        int succeeded = 0;
        int cancelled = 0;
        for (Entry entry : completed.values()) {
            if (entry.outcome instanceof Outcome.Succeeded) {
                succeeded++;
            } else if (entry.outcome instanceof Outcome.Failed failed && failed.cancelled()) {
                cancelled++;
            }
        }
        return new QueueStats(totalSubmissions, all.size(), waiting.size() + waitingLow.size(), running, completed.size(),
                succeeded, completed.size() - succeeded - cancelled, cancelled, peakRunning, concurrency);
    }

    /** Forgets requests that completed before {@code cutoff}; returns how many. */
    public synchronized int forgetCompletedBefore(Instant cutoff) {
        List<String> expired = new ArrayList<>();
        for (Entry entry : completed.values()) {
            if (!entry.completedAt.isBefore(cutoff)) {
                break; // completion order: the rest are younger
            }
            expired.add(entry.request.id());
        }
        expired.forEach(this::forget);
        return expired.size();
    }

    /** Forgets everything, counters included. Timers still in flight find nothing and do nothing. */
    public synchronized void clear() {
        all.clear();
        waiting.clear();
        waitingLow.clear();
        completed.clear();
        submissionsByInput.clear();
        running = 0;
        peakRunning = 0;
        totalSubmissions = 0;
    }

    private void finish(Entry entry, Outcome outcome, Instant now) {
        entry.status = RequestStatus.COMPLETED;
        entry.completedAt = now;
        entry.outcome = outcome;
        completed.put(entry.request.id(), entry);
    }

    private void forget(String id) {
        Entry entry = all.remove(id);
        completed.remove(id);
        if (entry != null) {
            submissionsByInput.computeIfPresent(entry.request.inputKey(), (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    private static void addLog(Entry entry, LogEntry line) {
        if (entry.logs.size() < MAX_LOG_LINES) {
            entry.logs.add(line);
        }
    }

    private RequestSnapshot snapshot(Entry entry) {
        return new RequestSnapshot(entry.request, entry.status, queuePosition(entry),
                Optional.ofNullable(entry.startedAt), Optional.ofNullable(entry.completedAt),
                Optional.ofNullable(entry.outcome), List.copyOf(entry.logs),
                submissionsByInput.getOrDefault(entry.request.inputKey(), 1),
                entry.traceparents.isEmpty() ? Map.of() : new EnumMap<>(entry.traceparents), entry.inputFetches,
                entry.forgotten);
    }

    /** Linear in the queue length, which the capacity bounds; status polls stay cheap enough. */
    private Optional<Integer> queuePosition(Entry entry) {
        if (entry.status != RequestStatus.IN_QUEUE) {
            return Optional.empty();
        }
        int ahead = entry.request.lowPriority() ? waiting.size() : 0;
        for (String id : (entry.request.lowPriority() ? waitingLow : waiting).keySet()) {
            if (id.equals(entry.request.id())) {
                return Optional.of(ahead);
            }
            ahead++;
        }
        throw new IllegalStateException("queued request missing from the queue: " + entry.request.id());
    }
}
