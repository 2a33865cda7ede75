-- The replication-watcher's own state, in its own schema (quarkus.flyway.schemas).

-- Every replica announced on rucio.replicas: the ledger that makes announcements happen once per (scope, name, rse).
-- A row is written in the same transaction that records its batch as pending (see pending_batches).
CREATE TABLE announced_replicas (
    scope         TEXT NOT NULL,
    name          TEXT NOT NULL,
    rse           TEXT NOT NULL,
    dataset_scope TEXT,
    dataset_name  TEXT,
    bytes         BIGINT,
    source        TEXT NOT NULL,
    batch_id      BIGINT NOT NULL,
    announced_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, name, rse)
);

-- Every dataset announced complete on rucio.datasets.
CREATE TABLE announced_datasets (
    scope        TEXT NOT NULL,
    name         TEXT NOT NULL,
    rse          TEXT NOT NULL,
    files        INTEGER NOT NULL,
    bytes        BIGINT NOT NULL,
    batch_id     BIGINT NOT NULL,
    announced_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, name, rse)
);

-- Announcements decided but not yet known to be on Kafka: the events of one Kafka transaction, and the topics'
-- end offsets before it, from which a restart looks for them. Deleted once the transaction is committed.
CREATE TABLE pending_batches (
    id            BIGSERIAL PRIMARY KEY,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    start_offsets TEXT NOT NULL,
    events        TEXT NOT NULL
);

-- Datasets the poll has listed in full once; later polls only ask for replicas updated since the cursor.
CREATE TABLE known_datasets (
    scope         TEXT NOT NULL,
    name          TEXT NOT NULL,
    rse           TEXT NOT NULL,
    discovered_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, name, rse)
);

-- The poll's cursor per RSE: replicas updated after this instant are asked for next time.
CREATE TABLE poll_cursor (
    rse               TEXT PRIMARY KEY,
    updated_after     TIMESTAMPTZ NOT NULL,
    last_full_listing TIMESTAMPTZ NOT NULL
);

-- Hermes transfer-done messages received (their offsets committed) whose replica is not confirmed AVAILABLE yet.
CREATE TABLE hermes_hints (
    scope         TEXT NOT NULL,
    name          TEXT NOT NULL,
    rse           TEXT NOT NULL,
    dataset_scope TEXT,
    dataset_name  TEXT,
    pfn           TEXT,
    rubin_butler  TEXT,
    rubin_sidecar TEXT,
    received_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, name, rse)
);
