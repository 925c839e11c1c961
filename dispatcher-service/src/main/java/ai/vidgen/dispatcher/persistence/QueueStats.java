package ai.vidgen.dispatcher.persistence;

import ai.vidgen.dispatcher.domain.Priority;
import ai.vidgen.dispatcher.domain.QueueStatus;
import java.util.EnumMap;
import java.util.Map;

/** Counts over the whole queue table (every replica sees the same numbers). */
public record QueueStats(Map<QueueStatus, Long> byStatus, Map<Priority, Long> queuedByPriority) {

    public static QueueStats empty() {
        Map<QueueStatus, Long> byStatus = new EnumMap<>(QueueStatus.class);
        for (QueueStatus s : QueueStatus.values()) {
            byStatus.put(s, 0L);
        }
        Map<Priority, Long> byPriority = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) {
            byPriority.put(p, 0L);
        }
        return new QueueStats(byStatus, byPriority);
    }

    public long count(QueueStatus status) {
        return byStatus.getOrDefault(status, 0L);
    }

    public long queued(Priority priority) {
        return queuedByPriority.getOrDefault(priority, 0L);
    }
}
