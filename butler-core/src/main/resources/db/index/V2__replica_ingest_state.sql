-- The replica ledger becomes the ingest pipeline's durable state: what became of each replica. A raw whose
-- directory has no _index.json yet waits here as 'pending' (its Kafka offset can be committed) and is ingested
-- when the index lands.
ALTER TABLE replica
    ADD COLUMN state       TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'ingested', 'rejected', 'skipped')),
    ADD COLUMN reason      TEXT,
    ADD COLUMN dataset_id  UUID,
    ADD COLUMN settled_at  TIMESTAMPTZ,
    -- The PFN's parent, with its trailing '/': raws are grouped by exposure directory and its _index.json.
    ADD COLUMN directory   TEXT GENERATED ALWAYS AS (regexp_replace(pfn, '[^/]*$', '')) STORED;

CREATE INDEX replica_directory_idx ON replica (directory);
CREATE INDEX replica_pending_idx ON replica (directory) WHERE state = 'pending';
