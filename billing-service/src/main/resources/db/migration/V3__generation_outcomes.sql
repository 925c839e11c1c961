-- One row per generation attempt that ended at fal (completed or failed), so that the outcome
-- counters and the generation-time histogram count each attempt once, whatever the redeliveries.
-- Not money: the ledger stays the only source of amounts.
CREATE TABLE generation_outcomes (
    generation_id     TEXT NOT NULL,
    attempt           INTEGER NOT NULL,
    endpoint_id       TEXT NOT NULL,
    outcome           TEXT NOT NULL CHECK (outcome IN ('COMPLETED', 'FAILED')),
    inference_millis  BIGINT,
    recorded_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (generation_id, attempt)
);
