-- DELETE /v1/videos/{id}: the video disappears from the OpenAI-style API (the generation, its
-- cost and its events stay for accounting and remain visible under /v1/generations).
CREATE TABLE deleted_videos (
    tenant_id   text        NOT NULL,
    id          text        NOT NULL,
    deleted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
