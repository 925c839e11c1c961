-- The W3C traceparent of the generation's trace, taken when the attempt is submitted (the span
-- that consumed its GenerationDispatched). Everything done later for the attempt (polls, calls to
-- fal, the events published by the poller, a webhook or the lost-submit sweep) continues that
-- trace, also after a restart or on another instance. Null for rows written before it existed.
ALTER TABLE fal_requests ADD COLUMN traceparent TEXT;
