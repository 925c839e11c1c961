-- ABANDONED: the generation was ended elsewhere (the dispatcher abandoned or reclaimed it) while
-- the attempt was open; the adapter stops tracking it and publishes nothing more for it.
ALTER TABLE fal_requests DROP CONSTRAINT fal_requests_state_check;
ALTER TABLE fal_requests ADD CONSTRAINT fal_requests_state_check CHECK (state IN
    ('SUBMITTING', 'IN_QUEUE', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELLED', 'ABANDONED',
     'NEEDS_ATTENTION'));

-- Attempts that earlier versions parked in NEEDS_ATTENTION although fal had accepted them (status
-- 404s: fal forgot the request; or a result that could not be fetched) now end with
-- GenerationFailed. Put them back to the poller, due now: a request fal still knows is taken as
-- usual, a forgotten one ends as fal_lost (not retryable: whether it ran is unknown), a result
-- still unavailable ends as result_unavailable at the next failed fetch.
UPDATE fal_requests
   SET state = 'IN_PROGRESS', poll_failures = 0, next_poll_at = now(), updated_at = now()
 WHERE state = 'NEEDS_ATTENTION' AND fal_request_id IS NOT NULL AND submitted_published
   AND error_type IN ('status_not_found', 'result_unavailable');
