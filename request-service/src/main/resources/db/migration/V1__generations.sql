-- The generations request-service accepted, and the read model of their status, folded from the
-- events of every service. Money is integer micro-dollars (bigint).
CREATE TABLE generations (
    id                       text        PRIMARY KEY,           -- a UUID, also the Kafka key
    tenant_id                text        NOT NULL,
    endpoint_id              text        NOT NULL,
    input                    jsonb       NOT NULL,              -- fal's input, as it reaches fal
    spec_seconds             integer     NOT NULL,              -- the price-deciding dimensions
    spec_audio               boolean     NOT NULL,
    spec_voice_control       boolean     NOT NULL,
    priority                 text        NOT NULL CHECK (priority IN ('interactive', 'batch')),
    deadline                 timestamptz,
    metadata                 jsonb       NOT NULL DEFAULT '{}'::jsonb,
    idempotency_key          text,
    request_hash             text        NOT NULL,             -- what the request asked for
    -- billing's estimate at acceptance (all null when billing did not answer in time)
    estimate_micros          bigint,
    estimate_rate_micros_per_second bigint,
    estimate_seconds         integer,
    estimate_price_book_version text,
    status                   text        NOT NULL CHECK (status IN ('queued', 'in_progress', 'archiving',
                                             'completed', 'failed', 'cancelled', 'rejected')),
    -- The furthest (attempt, stage rank) folded into the status: late events behind it are ignored.
    status_attempt           integer     NOT NULL DEFAULT 0,
    status_rank              integer     NOT NULL,
    fal_request_id           text,
    queue_position           integer,
    cost_micros              bigint,
    cost_rate_micros_per_second bigint,
    cost_billed_seconds      integer,
    cost_price_book_version  text,
    video_object_key         text,
    video_location           text,
    video_content_type       text,
    video_bytes              bigint,
    video_sha256             text,
    video_duration_ms        bigint,
    video_width              integer,
    video_height             integer,
    video_has_audio          boolean,
    error_type               text,
    error_message            text,
    error_retryable          boolean,
    created_at               timestamptz NOT NULL,
    updated_at               timestamptz NOT NULL,
    -- A replayed Idempotency-Key finds its generation; two concurrent first uses cannot both insert.
    CONSTRAINT generations_idempotency UNIQUE (tenant_id, idempotency_key)
);

-- GET /v1/generations: a tenant's newest first, optionally by status, keyset-paginated.
CREATE INDEX generations_tenant_created ON generations (tenant_id, created_at DESC, id DESC);
CREATE INDEX generations_tenant_status_created ON generations (tenant_id, status, created_at DESC, id DESC);

-- One row per stage reached (per attempt), stamped with the CloudEvent time.
CREATE TABLE generation_timeline (
    seq            bigserial   PRIMARY KEY,
    generation_id  text        NOT NULL REFERENCES generations (id) ON DELETE CASCADE,
    stage          text        NOT NULL,
    attempt        integer     NOT NULL DEFAULT 0,
    at             timestamptz NOT NULL,
    event_id       text,
    -- A redelivered or repeated report (progress polls) adds no second row.
    CONSTRAINT generation_timeline_once UNIQUE (generation_id, stage, attempt)
);

-- Events written in the same transaction as the state they announce; the relay publishes them.
CREATE TABLE outbox (
    id             bigserial   PRIMARY KEY,
    generation_id  text        NOT NULL,
    event_id       text        NOT NULL,
    event_type     text        NOT NULL,
    payload        text        NOT NULL,   -- the structured-mode CloudEvent JSON, verbatim
    created_at     timestamptz NOT NULL DEFAULT now(),
    sent_at        timestamptz
);

-- The relay's scan: unsent rows in insertion order, without reading what was sent.
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE sent_at IS NOT NULL;

-- CloudEvents already folded (source|id): a redelivered event is a no-op, decided by the key.
CREATE TABLE processed_events (
    event_key      text        PRIMARY KEY,
    generation_id  text        NOT NULL,
    event_type     text        NOT NULL,
    processed_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX processed_events_processed_at ON processed_events (processed_at);
