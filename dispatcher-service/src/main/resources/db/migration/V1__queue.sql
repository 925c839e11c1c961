-- The dispatcher's durable queue: one row per generation it has been asked to run, from its
-- arrival (RESERVING) through admission (QUEUED or REJECTED) and release to fal (DISPATCHED)
-- to its end (DONE).
CREATE TABLE generation_queue (
    generation_id      text        PRIMARY KEY,
    tenant_id          text        NOT NULL,
    -- the spec: the dimensions that decide the price
    endpoint_id        text        NOT NULL,
    seconds            integer     NOT NULL,
    audio              boolean     NOT NULL,
    voice_control      boolean     NOT NULL,
    -- fal's own input object, passed through to GenerationDispatched untouched
    input              jsonb       NOT NULL,
    priority           text        NOT NULL CHECK (priority IN ('interactive', 'batch')),
    fal_priority       text        NOT NULL CHECK (fal_priority IN ('normal', 'low')),
    status             text        NOT NULL
                       CHECK (status IN ('RESERVING', 'QUEUED', 'DISPATCHED', 'DONE', 'REJECTED')),
    -- the attempt last dispatched (0 until the first dispatch)
    attempt            integer     NOT NULL DEFAULT 0,
    deadline           timestamptz,
    accepted_at        timestamptz,
    -- when this service first stored the generation; the queue's "oldest first"
    enqueued_at        timestamptz NOT NULL DEFAULT now(),
    -- the reservation with billing: retried with backoff until billing answers
    reserve_attempts   integer     NOT NULL DEFAULT 0,
    next_reserve_at    timestamptz NOT NULL DEFAULT now(),
    reserved_at        timestamptz,
    reserved_micros    bigint,
    price_book_version text,
    reject_reason      text,
    reject_detail      text,
    -- how it ended: completed, failed, cancelled, rejected
    outcome            text,
    dispatched_at      timestamptz,
    finished_at        timestamptz,
    updated_at         timestamptz NOT NULL DEFAULT now()
);

-- Release order: interactive before batch ((priority = 'batch') sorts false first), then oldest.
CREATE INDEX generation_queue_release ON generation_queue ((priority = 'batch'), enqueued_at, generation_id)
    WHERE status = 'QUEUED';
CREATE INDEX generation_queue_reserving ON generation_queue (next_reserve_at) WHERE status = 'RESERVING';
CREATE INDEX generation_queue_in_flight ON generation_queue (tenant_id) WHERE status = 'DISPATCHED';

-- Transactional outbox: an event is written here in the same transaction as the state change it
-- announces, and a relay publishes it to Kafka and deletes it once the broker has acknowledged.
CREATE TABLE outbox (
    id            bigserial   PRIMARY KEY,
    generation_id text        NOT NULL,
    -- the CloudEvent id and type, for operators (the relay publishes cloud_event as it is)
    event_id      text        NOT NULL,
    event_type    text        NOT NULL,
    -- the structured-mode CloudEvent encoded at commit time: its id and time stay as first written
    cloud_event   text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
