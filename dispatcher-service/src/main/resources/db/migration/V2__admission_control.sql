-- Admission control, second slice: retries of failed attempts, deadlines, cancel requests, draft
-- routing and fair sharing across tenants.

-- A retryable failure puts the generation back to QUEUED with retry_at in the future: it keeps its
-- place (enqueued_at) and its reservation, and is not released before retry_at.
ALTER TABLE generation_queue ADD COLUMN retry_at timestamptz;
-- The last failed attempt's error, for GenerationAbandoned and the admin view.
ALTER TABLE generation_queue ADD COLUMN last_error_type text;
ALTER TABLE generation_queue ADD COLUMN last_error_message text;
-- Draft routing: the endpoint the request named when the dispatcher routed it to a cheaper one
-- (endpoint_id, the spec columns and input then hold what runs). NULL when it runs as requested.
ALTER TABLE generation_queue ADD COLUMN draft boolean NOT NULL DEFAULT false;
ALTER TABLE generation_queue ADD COLUMN requested_endpoint_id text;

-- Release candidates per tenant (fair sharing picks among tenants, then in this order).
DROP INDEX generation_queue_release;
CREATE INDEX generation_queue_release ON generation_queue (tenant_id, (priority = 'batch'), enqueued_at, generation_id)
    WHERE status = 'QUEUED';
-- The sweeps: deadlines of waiting work, and dispatched work whose terminal event never came.
CREATE INDEX generation_queue_deadline ON generation_queue (deadline)
    WHERE deadline IS NOT NULL AND status IN ('RESERVING', 'QUEUED');
CREATE INDEX generation_queue_dispatched_at ON generation_queue (dispatched_at) WHERE status = 'DISPATCHED';
