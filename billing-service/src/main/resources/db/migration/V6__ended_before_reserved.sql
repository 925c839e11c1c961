-- Generations that ended (cancelled, expired, failed for good) before billing held anything for
-- them. A reservation asked for afterwards is refused (the dispatcher's call lost the race with
-- the cancellation), and one rebuilt from the topic is released at once, so a generation never
-- keeps a reservation that no later event would give back. Not money: no amounts here.
CREATE TABLE generations_ended_unreserved (
    generation_id    TEXT PRIMARY KEY,
    tenant_id        TEXT NOT NULL,
    reason           TEXT NOT NULL,
    source_event_id  TEXT,
    ended_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
