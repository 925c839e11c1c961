-- What fal charged us for a video the tenant does not pay for: an archive that failed, a
-- completion that arrived after the reservation was released, or the seconds of a measured video
-- beyond its reservation. Positive micro-dollars at the generation's rate; never part of the
-- tenant's charges, usage or budget; there for reconciling the ledger with fal's invoice.
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
    CHECK (kind IN ('RESERVE', 'SETTLE', 'RELEASE', 'CORRECTION', 'FAL_LOSS'));
ALTER TABLE ledger_entries ADD COLUMN loss_cause TEXT;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_loss_has_cause
    CHECK ((kind = 'FAL_LOSS') = (loss_cause IS NOT NULL)
           AND (loss_cause IS NULL OR loss_cause IN ('ARCHIVE_FAILED', 'LATE_COMPLETION', 'OVERRUN')));

-- Before this version a completion that arrived after a release still wrote a SETTLE, so such a
-- generation holds both. The tenant did not get that video: the SETTLE becomes the loss it was.
UPDATE ledger_entries s
SET kind = 'FAL_LOSS', loss_cause = 'LATE_COMPLETION',
    reason = 'completed after the release; reclassified from SETTLE when one outcome per generation became a rule'
WHERE s.kind = 'SETTLE'
  AND EXISTS (SELECT 1 FROM ledger_entries r WHERE r.generation_id = s.generation_id AND r.kind = 'RELEASE');

-- One money outcome per generation: a SETTLE and a RELEASE exclude each other. The database
-- decides, so no ordering of events or replays can charge a released generation.
CREATE UNIQUE INDEX ledger_one_outcome ON ledger_entries (generation_id) WHERE kind IN ('SETTLE', 'RELEASE');
