-- The index schema: what this installation knows besides the registries themselves.

-- One row per repository created with `create --seed-config`. The registry lives in schema `namespace` of the
-- database at `registry_db`; credentials are never stored here (configuration or db-auth file only).
CREATE TABLE repository (
    name            TEXT PRIMARY KEY,
    namespace       TEXT NOT NULL,
    registry_db     TEXT NOT NULL,
    datastore_name  TEXT NOT NULL,
    datastore_root  TEXT NOT NULL,
    seed_config     TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (registry_db, namespace)
);

-- The replica ledger: every file replica ingest-service has been told about, once per (scope, name, RSE).
CREATE TABLE replica (
    scope          TEXT NOT NULL,
    name           TEXT NOT NULL,
    rse            TEXT NOT NULL,
    pfn            TEXT NOT NULL,
    bytes          BIGINT,
    adler32        TEXT,
    dataset_scope  TEXT,
    dataset_name   TEXT,
    metadata       JSONB NOT NULL DEFAULT '{}'::jsonb,
    source         TEXT NOT NULL,
    first_seen     TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, name, rse)
);
CREATE INDEX replica_dataset_idx ON replica (dataset_scope, dataset_name);
