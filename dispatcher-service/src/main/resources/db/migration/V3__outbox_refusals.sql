-- The outbox moves to the platform's relay (platform.outbox), which expects one table shape in
-- every service. V1 already has id, generation_id, event_id, event_type, cloud_event and
-- created_at (default now()); what the platform adds is a place for the rows the broker refuses
-- for good (too large, invalid): they are set aside with the reason instead of blocking the rows
-- behind them, and stay for operators. Sent rows are still deleted.
ALTER TABLE outbox ADD COLUMN refused_at timestamptz;
ALTER TABLE outbox ADD COLUMN refusal text;
-- What the relay reads: the rows still to publish, in insertion order.
CREATE INDEX outbox_pending ON outbox (id) WHERE refused_at IS NULL;
