-- The outbox in the shape of the platform's relay (ai.vidgen.platform.outbox), which replaces the
-- service's own: a row is deleted once the broker acknowledged it, and a row the broker refuses
-- for good is set aside (refused_at, refusal) so it never blocks the rows behind it.

-- Rows already sent are history the new relay does not keep.
DELETE FROM outbox WHERE sent_at IS NOT NULL;

-- The structured-mode CloudEvent JSON, verbatim, under the platform's name.
ALTER TABLE outbox RENAME COLUMN payload TO cloud_event;

-- V1 already has event_type; the relay reports it when the broker refuses a row, so it must be the
-- CloudEvent's own type, which the old relay never read: take it from the JSON to be sure.
UPDATE outbox SET event_type = cloud_event::jsonb ->> 'type'
WHERE event_type IS DISTINCT FROM cloud_event::jsonb ->> 'type';

DROP INDEX outbox_unsent;
DROP INDEX outbox_sent_at;
ALTER TABLE outbox
    DROP COLUMN sent_at,
    ADD COLUMN refused_at timestamptz,
    ADD COLUMN refusal    text;

-- The relay's scan: pending rows in insertion order, without reading those set aside.
CREATE INDEX outbox_pending ON outbox (id) WHERE refused_at IS NULL;
