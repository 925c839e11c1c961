package ai.vidgen.platform.tracing;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The trace each recently seen generation belongs to, remembered by the consumer template. A
 * publisher with no span current (a scheduled pass, a worker) continues the generation's trace
 * from here. Bounded and in memory only: work that continues after a restart or on another
 * replica keeps its trace in its own row (see {@link TraceParent}).
 */
@ApplicationScoped
public class RecentTraces {

    private static final int CAPACITY = 20_000;

    private final Map<String, TraceParent> byGeneration = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TraceParent> eldest) {
            return size() > CAPACITY;
        }
    };

    public synchronized void remember(String generationId, TraceParent trace) {
        byGeneration.putIfAbsent(generationId, trace);
    }

    public synchronized Optional<TraceParent> of(String generationId) {
        return Optional.ofNullable(byGeneration.get(generationId));
    }

    /** The current span's trace, else the generation's remembered one. */
    public Optional<TraceParent> forPublishing(String generationId) {
        Optional<TraceParent> current = TraceParent.current();
        return current.isPresent() ? current : of(generationId);
    }
}
