-- One row per generation attempt: the durable record of what we asked fal and what fal did.
-- The row is written (state SUBMITTING) and committed BEFORE the submit POST, so a redelivered
-- dispatch finds it and never submits the same attempt twice.
CREATE TABLE fal_requests (
    id                  BIGSERIAL PRIMARY KEY,
    generation_id       TEXT        NOT NULL,
    attempt             INTEGER     NOT NULL CHECK (attempt >= 1),
    tenant_id           TEXT        NOT NULL,
    endpoint_id         TEXT        NOT NULL,
    -- The GenerationSpec, echoed in GenerationCompleted for billing.
    spec_seconds        INTEGER     NOT NULL,
    spec_audio          BOOLEAN     NOT NULL,
    spec_voice_control  BOOLEAN     NOT NULL,
    fal_priority        TEXT        NOT NULL,
    state               TEXT        NOT NULL CHECK (state IN
                            ('SUBMITTING', 'IN_QUEUE', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'NEEDS_ATTENTION')),
    -- What fal answered on submit.
    fal_request_id      TEXT,
    status_url          TEXT,
    response_url        TEXT,
    cancel_url          TEXT,
    -- Tracking.
    queue_position      INTEGER,
    log_lines_seen      INTEGER     NOT NULL DEFAULT 0,
    poll_count          INTEGER     NOT NULL DEFAULT 0,
    poll_failures       INTEGER     NOT NULL DEFAULT 0,
    result_attempts     INTEGER     NOT NULL DEFAULT 0,
    next_poll_at        TIMESTAMPTZ,
    -- Whether GenerationSubmitted / the terminal event was acknowledged by the broker.
    submitted_published BOOLEAN     NOT NULL DEFAULT FALSE,
    terminal_published  BOOLEAN     NOT NULL DEFAULT FALSE,
    -- Outcome.
    error_type          TEXT,
    last_error          TEXT,
    retryable           BOOLEAN,
    video_url           TEXT,
    content_type        TEXT,
    file_size           BIGINT,
    inference_millis    BIGINT,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    submitted_at        TIMESTAMPTZ,
    finished_at         TIMESTAMPTZ,
    CONSTRAINT fal_requests_generation_attempt_key UNIQUE (generation_id, attempt)
);

-- The poller's query: due rows of the tracked states, oldest due first.
CREATE INDEX fal_requests_due_idx ON fal_requests (next_poll_at)
    WHERE state IN ('IN_QUEUE', 'IN_PROGRESS');

-- Webhooks (and operators) find a row by fal's request id.
CREATE UNIQUE INDEX fal_requests_fal_request_id_key ON fal_requests (fal_request_id)
    WHERE fal_request_id IS NOT NULL;

CREATE INDEX fal_requests_state_idx ON fal_requests (state)
    WHERE state IN ('SUBMITTING', 'NEEDS_ATTENTION');
