-- The generation's trace survives the queue: the W3C traceparent of the work that stored the
-- generation (its GenerationRequested), so every event this service announces later for it
-- (Reserved, Dispatched, Cancelled, Abandoned, Rejected), whichever replica and however long
-- after, continues the same trace, and so do the reservation calls to billing. NULL for rows
-- stored before this column existed, or by an event that carried no trace.
ALTER TABLE generation_queue ADD COLUMN traceparent text;
