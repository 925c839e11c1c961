-- Inputs a generation request carried inline (data: URIs), uploaded by request-service so that
-- its events carry a signed link instead of the bytes. The id is derived from the tenant and the
-- bytes, so a retried upload finds its row instead of adding one.
create table inputs (
    id           varchar(128) primary key,
    tenant_id    varchar(128) not null,
    object_key   varchar(512) not null unique,
    content_type varchar(128) not null,
    bytes        bigint       not null check (bytes > 0),
    sha256       char(64)     not null,
    created_at   timestamptz  not null default now()
);

-- a retention policy for inputs would read them by age, per tenant
create index inputs_tenant_created_idx on inputs (tenant_id, created_at);
