-- A replica can wait in the ledger for something that has not landed yet (a sidecar dataset for its dimension
-- records): it stays 'pending' with the reason, and waiting_since says since when, so that it is given up on (dead-
-- lettered) after a configured time. The partial index finds the waiting replicas to retry.
ALTER TABLE replica ADD COLUMN waiting_since TIMESTAMPTZ;

CREATE INDEX replica_waiting_idx ON replica (waiting_since) WHERE state = 'pending' AND waiting_since IS NOT NULL;
