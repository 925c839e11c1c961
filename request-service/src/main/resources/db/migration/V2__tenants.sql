-- Tenants and their API keys. A key is shown once, at creation; only its SHA-256 is kept.
CREATE TABLE tenants (
    id          text        PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    name        text,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id          text        PRIMARY KEY,                 -- the public part of the key (vgk_<id>.<secret>)
    tenant_id   text        NOT NULL REFERENCES tenants (id),
    key_sha256  bytea       NOT NULL,                    -- SHA-256 of the whole key
    label       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);
