-- The price book: versions take effect at a date; the version in effect when a generation was
-- accepted is the one that prices it, whatever versions are added later.
CREATE TABLE price_books (
    version        TEXT PRIMARY KEY,
    effective_from TIMESTAMPTZ NOT NULL UNIQUE,
    source         TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One per-second rate per (family, tier, audio mode). A missing row means "no price": the
-- endpoint is refused at admission, never billed at zero.
CREATE TABLE price_rates (
    version                TEXT NOT NULL REFERENCES price_books (version),
    model_family           TEXT NOT NULL,
    tier                   TEXT NOT NULL,
    audio_mode             TEXT NOT NULL CHECK (audio_mode IN ('OFF', 'ON', 'VOICE_CONTROL')),
    micros_per_second      BIGINT NOT NULL CHECK (micros_per_second > 0),
    PRIMARY KEY (version, model_family, tier, audio_mode)
);

-- Append-only. Amounts are integer micro-dollars. A generation has at most one reservation,
-- one settlement and one release: the unique index, not a check in code, is what makes a
-- redelivered or duplicated event unable to charge twice. Corrections are separate rows.
CREATE TABLE ledger_entries (
    id                      BIGSERIAL PRIMARY KEY,
    generation_id           TEXT NOT NULL,
    tenant_id               TEXT NOT NULL,
    kind                    TEXT NOT NULL CHECK (kind IN ('RESERVE', 'SETTLE', 'RELEASE', 'CORRECTION')),
    amount_micros           BIGINT NOT NULL,
    seconds                 INTEGER NOT NULL,
    rate_micros_per_second  BIGINT NOT NULL,
    endpoint_id             TEXT NOT NULL,
    model_family            TEXT NOT NULL,
    tier                    TEXT NOT NULL,
    audio                   BOOLEAN NOT NULL,
    voice_control           BOOLEAN NOT NULL,
    price_book_version      TEXT NOT NULL,
    source_event_id         TEXT,
    reason                  TEXT,
    created_at              TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX ledger_one_entry_per_kind ON ledger_entries (generation_id, kind) WHERE kind <> 'CORRECTION';
CREATE INDEX ledger_by_tenant_time ON ledger_entries (tenant_id, created_at);

-- A tenant without a row has no budget (unlimited); a row with limit 0 allows nothing.
CREATE TABLE budgets (
    tenant_id      TEXT PRIMARY KEY,
    limit_micros   BIGINT NOT NULL CHECK (limit_micros >= 0),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
