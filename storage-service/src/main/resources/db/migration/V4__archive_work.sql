-- The archive's work queue. The Kafka consumer only records a completion here (one row per fal
-- attempt of a generation, so a redelivered event finds its row) and acknowledges the record; the
-- archive worker claims due rows with a lease and does the long download off the consumer.
create table archive_work (
    generation_id   text         not null,
    -- fal's attempt whose video this row archives; a later attempt gets a row of its own
    attempt         integer      not null,
    tenant_id       text         not null,
    source_url      text,
    -- what fal announced, checked after the download when present
    expected_bytes  bigint,
    expected_sha256 char(64),
    -- the completion's trace, resumed by the worker
    traceparent     text,
    -- PENDING until answered: DONE (VideoArchived, or answered before) or FAILED (ArchiveFailed)
    state           varchar(16)  not null default 'PENDING' check (state in ('PENDING', 'DONE', 'FAILED')),
    -- downloads that failed for a retryable reason; ArchiveFailed once it reaches the maximum
    attempts        integer      not null default 0,
    next_attempt_at timestamptz  not null default now(),
    -- the claim of one worker; another replica takes the row over once lease_until has passed
    lease_owner     text,
    lease_until     timestamptz,
    last_error      text,
    created_at      timestamptz  not null default now(),
    updated_at      timestamptz  not null default now(),
    primary key (generation_id, attempt)
);

-- the worker's claim: pending rows by due time
create index archive_work_due_idx on archive_work (next_attempt_at) where state = 'PENDING';

-- VideoArchived and ArchiveFailed are written here in the transaction that records them, and the
-- platform's relay publishes them (docs/conventions.md).
create table outbox (
    id            bigserial PRIMARY KEY,
    generation_id text        NOT NULL,
    event_id      text        NOT NULL,
    event_type    text        NOT NULL,
    cloud_event   text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    refused_at    timestamptz,
    refusal       text);
create index outbox_pending on outbox (id) where refused_at is null;
