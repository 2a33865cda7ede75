-- Settling a replica (pending -> ingested, rejected or skipped) rewrites its row once. With no index on the state
-- (neither as a column nor in an index's predicate) and room left on each page, PostgreSQL updates the row in place
-- (a heap-only tuple) instead of writing a new entry in each of the table's indexes: settling a batch then costs
-- about a third of recording it. The pending rows are found through replica_directory_idx, whose directories hold a
-- handful of files each; the waiting ones through an index on waiting_since alone.
DROP INDEX replica_pending_idx;
DROP INDEX replica_waiting_idx;
CREATE INDEX replica_waiting_idx ON replica (waiting_since) WHERE waiting_since IS NOT NULL;
ALTER TABLE replica SET (fillfactor = 60);
