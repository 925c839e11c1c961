-- One row per generation: the archive's state and, once archived, what was verified about the MP4.
-- generation_id is the primary key, so a redelivered GenerationCompleted finds the row instead of
-- creating a second one; the object key is derived from it (and first_attempt_at), so it is unique too.
create table videos (
    generation_id    varchar(128) primary key,
    tenant_id        varchar(128) not null,
    -- the fal attempt whose output is (being) archived; a later attempt may replace a failed one
    attempt          integer      not null,
    status           varchar(16)  not null check (status in ('ARCHIVING', 'ARCHIVED', 'FAILED')),
    object_key       varchar(512),
    location         text,
    content_type     varchar(128),
    bytes            bigint       check (bytes >= 0),
    sha256           char(64),
    duration_ms      bigint,
    width            integer,
    height           integer,
    video_codec      varchar(32),
    has_audio        boolean,
    -- fixes the date in the object key: set once, never updated
    first_attempt_at timestamptz  not null,
    archived_at      timestamptz,
    failure_reason   varchar(64),
    failure_message  text,
    updated_at       timestamptz  not null,
    constraint videos_archived_complete check (status <> 'ARCHIVED' or (object_key is not null
        and location is not null and bytes is not null and sha256 is not null and archived_at is not null))
);

create unique index videos_object_key_uq on videos (object_key);
-- listing a tenant's videos (newest first) is the next query this table will serve
create index videos_tenant_archived_idx on videos (tenant_id, archived_at desc);
