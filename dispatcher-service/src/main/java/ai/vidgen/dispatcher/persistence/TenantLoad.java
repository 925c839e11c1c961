package ai.vidgen.dispatcher.persistence;

import ai.vidgen.dispatcher.domain.Priority;
import ai.vidgen.dispatcher.domain.QueueStatus;

/** How many generations of one tenant and priority are QUEUED or DISPATCHED, and the oldest one's age. */
public record TenantLoad(String tenantId, Priority priority, QueueStatus status, long count, double oldestSeconds) {
}
