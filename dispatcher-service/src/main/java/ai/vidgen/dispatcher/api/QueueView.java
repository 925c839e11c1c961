package ai.vidgen.dispatcher.api;

import java.util.List;
import java.util.Map;

/**
 * The admin view of the queue.
 *
 * @param counts           generations per status, over the whole queue
 * @param queuedByPriority QUEUED generations per priority
 * @param queued           QUEUED generations in release order (of one tenant when asked)
 */
public record QueueView(
        int maxInFlight,
        long inFlight,
        Map<String, Long> counts,
        Map<String, Long> queuedByPriority,
        List<QueuedGeneration> queued) {
}
