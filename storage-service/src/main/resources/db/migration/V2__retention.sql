-- Retention: a video deleted from the object store keeps its row (status DELETED), so a redelivered
-- completion is still answered from the table and never archived a second time.
alter table videos drop constraint videos_status_check;
alter table videos add constraint videos_status_check
    check (status in ('ARCHIVING', 'ARCHIVED', 'FAILED', 'DELETED'));
alter table videos add column deleted_at timestamptz;
-- the retention sweep's query: archived videos, oldest first
create index videos_archived_at_idx on videos (archived_at) where status = 'ARCHIVED';
-- the poster frame (JPEG) stored next to the video, when ffmpeg could make one
alter table videos add column poster_key varchar(512);
