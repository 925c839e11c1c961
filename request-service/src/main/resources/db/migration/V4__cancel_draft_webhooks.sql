-- Cancel requests, draft routing, reservations and client callbacks.
ALTER TABLE generations
    ADD COLUMN draft                    boolean     NOT NULL DEFAULT false,
    -- The endpoint that actually ran (GenerationDispatched.spec.endpointId); differs for a routed draft.
    ADD COLUMN ran_on_endpoint_id       text,
    ADD COLUMN callback_url             text,
    -- Set when the owner asked to cancel; the status changes only when the outcome event arrives.
    ADD COLUMN cancel_requested_at      timestamptz,
    -- GenerationReserved: what admission holds for it with billing.
    ADD COLUMN reserved_micros          bigint,
    ADD COLUMN reserved_price_book_version text;

-- Per-tenant Standard Webhooks signing secret (whsec_<base64>). Kept in clear: signing needs it.
CREATE TABLE webhook_secrets (
    tenant_id   text        PRIMARY KEY,
    secret      text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per callback to deliver, written in the same transaction as the terminal status that
-- causes it, so a crash between the fold and the POST loses nothing. The worker claims due rows.
CREATE TABLE webhook_deliveries (
    id              text        PRIMARY KEY,           -- webhook-id: stable across retries
    generation_id   text        NOT NULL,
    tenant_id       text        NOT NULL,
    url             text        NOT NULL,
    event_type      text        NOT NULL,              -- generation.completed / .failed / .cancelled
    payload         text        NOT NULL,              -- the exact body that is signed and sent
    state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    locked_until    timestamptz,
    last_status     integer,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    CONSTRAINT webhook_deliveries_once UNIQUE (generation_id, event_type)
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
