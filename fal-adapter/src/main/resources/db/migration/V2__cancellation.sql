-- Cancellation (GenerationCancelRequested). The request is recorded on the attempt's row and
-- carried out by the poller, which owns every call about a tracked request: it asks fal to
-- cancel, and publishes GenerationCancelled once fal reports the request cancelled.
ALTER TABLE fal_requests DROP CONSTRAINT fal_requests_state_check;
ALTER TABLE fal_requests ADD CONSTRAINT fal_requests_state_check CHECK (state IN
    ('SUBMITTING', 'IN_QUEUE', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELLED', 'NEEDS_ATTENTION'));

-- When a cancel was requested for this attempt; null when none was.
ALTER TABLE fal_requests ADD COLUMN cancel_requested_at TIMESTAMPTZ;
-- When fal acknowledged our cancel (202 CANCELLATION_REQUESTED, or 400 "already completed").
ALTER TABLE fal_requests ADD COLUMN cancel_sent_at TIMESTAMPTZ;
-- Whether fal still had the request IN_QUEUE when we cancelled it (GenerationCancelled.beforeStart).
ALTER TABLE fal_requests ADD COLUMN cancel_before_start BOOLEAN;

-- A cancel request seen before any Dispatched of its generation (the dispatcher's outbox may
-- publish the Dispatched after the cancel request): a later Dispatched is never submitted.
CREATE TABLE fal_cancel_tombstones (
    generation_id TEXT        PRIMARY KEY,
    tenant_id     TEXT        NOT NULL,
    reason        TEXT,
    requested_at  TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
