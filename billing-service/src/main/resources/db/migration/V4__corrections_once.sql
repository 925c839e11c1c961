-- An admin's correction carries a caller-chosen id (in source_event_id): a retried request
-- finds its row instead of correcting twice.
CREATE UNIQUE INDEX ledger_correction_once ON ledger_entries (source_event_id) WHERE kind = 'CORRECTION';
