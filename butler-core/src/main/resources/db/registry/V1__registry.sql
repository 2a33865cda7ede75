-- The registry schema of one butler repository, compatible with daf_butler dimension universe 7
-- (namespace daf_butler). Flyway runs this file inside the repository's namespace (search_path = that schema),
-- so every name below is created there; the namespace itself is the Flyway placeholder `schema`.
--
-- Encodings follow daf_butler on PostgreSQL:
--   * timespans are one INT8RANGE column named `timespan`: TAI nanoseconds since 1970-01-01 00:00:00 TAI,
--     half-open [begin, end); an unbounded begin is stored as 0 and an unbounded end as the maximum
--     (the Java side does the clamping, as daf_butler's TimeConverter does);
--   * regions are TEXT: the base64 text of the lsst.sphgeom encoding;
--   * dimension `int` fields are BIGINT, `float` fields DOUBLE PRECISION, `string` fields VARCHAR(length of
--     universe 7), `bool` fields BOOLEAN;
--   * dataset IDs are native UUIDs.
-- Table and column names are daf_butler's for the dimension elements. The dataset tables deliberately differ
-- from daf_butler's per-dimension-group dynamic tables (dataset_tags_%08d ...): see the "Datasets" part.

-- btree_gist provides GiST operator classes for plain scalar types (BIGINT, TEXT). The exclusion constraint of
-- dataset_calibs mixes `=` on such columns with `&&` on the INT8RANGE validity range, which plain GiST cannot
-- index; daf_butler refuses to start on PostgreSQL without this extension for the same reason. It goes into
-- `public` once per database and is shared by every namespace: PostgreSQL looks up default operator classes by
-- type and access method, not through search_path, so the namespaces find it although `public` is not on their
-- search_path. btree_gist is a trusted extension, so the database owner may create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

-- ============================================================================================================
-- Dimension elements (universe 7). Each table has the required dimensions as key columns named after the
-- dimension, then its own key, implied dimensions (NOT NULL, as in daf_butler), alternate keys (unique within
-- the required dimensions), metadata, region and timespan. Foreign keys point at the tables of the required and
-- implied dimensions that have a table (band and the skypix dimensions have none).
-- ============================================================================================================

-- Governor dimension.
CREATE TABLE instrument (
    name          VARCHAR(32) PRIMARY KEY,
    visit_max     BIGINT,
    visit_system  BIGINT,
    exposure_max  BIGINT,
    detector_max  BIGINT,
    class_name    VARCHAR(64)
);

-- Implies band, which has no table of its own (see the band view below).
CREATE TABLE physical_filter (
    instrument  VARCHAR(32) NOT NULL REFERENCES instrument (name),
    name        VARCHAR(32) NOT NULL,
    band        VARCHAR(32) NOT NULL,
    PRIMARY KEY (instrument, name)
);

-- The band dimension is a view of physical_filter in daf_butler (QueryDimensionRecordStorage, view_of).
CREATE VIEW band AS
    SELECT DISTINCT band AS name FROM physical_filter;

-- Requires band; keyed by (band, id). No foreign key on band since band is a view.
CREATE TABLE subfilter (
    band  VARCHAR(32) NOT NULL,
    id    BIGINT NOT NULL,
    PRIMARY KEY (band, id)
);

CREATE TABLE detector (
    instrument    VARCHAR(32) NOT NULL REFERENCES instrument (name),
    id            BIGINT NOT NULL,
    full_name     VARCHAR(32) NOT NULL,
    name_in_raft  VARCHAR(32),
    raft          VARCHAR(32),
    purpose       VARCHAR(32),
    PRIMARY KEY (instrument, id),
    UNIQUE (instrument, full_name)
);

-- Temporal: the observing day's span, e.g. [day 12:00 TAI, next day 12:00 TAI) for LSST; NULL without an offset.
CREATE TABLE day_obs (
    instrument  VARCHAR(32) NOT NULL REFERENCES instrument (name),
    id          BIGINT NOT NULL,
    timespan    INT8RANGE,
    PRIMARY KEY (instrument, id)
);

-- "group" is a reserved word: always quote it.
CREATE TABLE "group" (
    instrument  VARCHAR(32) NOT NULL REFERENCES instrument (name),
    name        VARCHAR(64) NOT NULL,
    PRIMARY KEY (instrument, name)
);

CREATE TABLE exposure (
    instrument          VARCHAR(32) NOT NULL REFERENCES instrument (name),
    id                  BIGINT NOT NULL,
    physical_filter     VARCHAR(32) NOT NULL,
    "group"             VARCHAR(64) NOT NULL,
    day_obs             BIGINT NOT NULL,
    obs_id              VARCHAR(64) NOT NULL,
    exposure_time       DOUBLE PRECISION,
    dark_time           DOUBLE PRECISION,
    observation_type    VARCHAR(16),
    observation_reason  VARCHAR(68),
    seq_num             BIGINT,
    seq_start           BIGINT,
    seq_end             BIGINT,
    target_name         VARCHAR(64),
    science_program     VARCHAR(64),
    tracking_ra         DOUBLE PRECISION,
    tracking_dec        DOUBLE PRECISION,
    sky_angle           DOUBLE PRECISION,
    azimuth             DOUBLE PRECISION,
    zenith_angle        DOUBLE PRECISION,
    has_simulated       BOOLEAN,
    can_see_sky         BOOLEAN,
    timespan            INT8RANGE,
    PRIMARY KEY (instrument, id),
    UNIQUE (instrument, obs_id),
    FOREIGN KEY (instrument, physical_filter) REFERENCES physical_filter (instrument, name),
    FOREIGN KEY (instrument, "group") REFERENCES "group" (instrument, name),
    FOREIGN KEY (instrument, day_obs) REFERENCES day_obs (instrument, id)
);
-- `--where "exposure.observation_type='science'"` (RTN-103: 19,201 science raws out of 148,845).
CREATE INDEX exposure_observation_type_idx ON exposure (observation_type);
-- Joins and look-ups through the implied dimensions (define-visits groups by day_obs; group look-ups).
CREATE INDEX exposure_day_obs_idx ON exposure (instrument, day_obs);
CREATE INDEX exposure_group_idx ON exposure (instrument, "group");

CREATE TABLE visit_system (
    instrument  VARCHAR(32) NOT NULL REFERENCES instrument (name),
    id          BIGINT NOT NULL,
    name        VARCHAR(32) NOT NULL,
    PRIMARY KEY (instrument, id),
    UNIQUE (instrument, name)
);

-- Spatial (region) and temporal (timespan).
CREATE TABLE visit (
    instrument          VARCHAR(32) NOT NULL REFERENCES instrument (name),
    id                  BIGINT NOT NULL,
    physical_filter     VARCHAR(32) NOT NULL,
    day_obs             BIGINT NOT NULL,
    name                VARCHAR(64) NOT NULL,
    seq_num             BIGINT,
    exposure_time       DOUBLE PRECISION,
    target_name         VARCHAR(64),
    observation_reason  VARCHAR(68),
    science_program     VARCHAR(64),
    azimuth             DOUBLE PRECISION,
    zenith_angle        DOUBLE PRECISION,
    region              TEXT,
    timespan            INT8RANGE,
    PRIMARY KEY (instrument, id),
    UNIQUE (instrument, name),
    FOREIGN KEY (instrument, physical_filter) REFERENCES physical_filter (instrument, name),
    FOREIGN KEY (instrument, day_obs) REFERENCES day_obs (instrument, id)
);

-- Join table exposure <-> visit (populated by visit, always joined).
CREATE TABLE visit_definition (
    instrument  VARCHAR(32) NOT NULL REFERENCES instrument (name),
    exposure    BIGINT NOT NULL,
    visit       BIGINT NOT NULL,
    PRIMARY KEY (instrument, exposure, visit),
    FOREIGN KEY (instrument, exposure) REFERENCES exposure (instrument, id),
    FOREIGN KEY (instrument, visit) REFERENCES visit (instrument, id)
);
CREATE INDEX visit_definition_visit_idx ON visit_definition (instrument, visit);

-- Join table visit <-> visit_system (populated by visit, always joined).
CREATE TABLE visit_system_membership (
    instrument    VARCHAR(32) NOT NULL REFERENCES instrument (name),
    visit_system  BIGINT NOT NULL,
    visit         BIGINT NOT NULL,
    PRIMARY KEY (instrument, visit_system, visit),
    FOREIGN KEY (instrument, visit_system) REFERENCES visit_system (instrument, id),
    FOREIGN KEY (instrument, visit) REFERENCES visit (instrument, id)
);
CREATE INDEX visit_system_membership_visit_idx ON visit_system_membership (instrument, visit);

-- Region of one detector in one visit (populated by visit). Keyed in daf_butler's column order.
CREATE TABLE visit_detector_region (
    instrument  VARCHAR(32) NOT NULL REFERENCES instrument (name),
    detector    BIGINT NOT NULL,
    visit       BIGINT NOT NULL,
    region      TEXT,
    PRIMARY KEY (instrument, detector, visit),
    FOREIGN KEY (instrument, detector) REFERENCES detector (instrument, id),
    FOREIGN KEY (instrument, visit) REFERENCES visit (instrument, id)
);
CREATE INDEX visit_detector_region_visit_idx ON visit_detector_region (instrument, visit);

-- Governor dimension. `hash` is the raw digest of the skymap's parameters (20-byte SHA-1 for lsst.skymap; the
-- universe allows up to 40 bytes). daf_butler stores it as base64 text; here it is the bytes themselves.
CREATE TABLE skymap (
    name          VARCHAR(64) PRIMARY KEY,
    hash          BYTEA NOT NULL UNIQUE CHECK (octet_length(hash) <= 40),
    tract_max     BIGINT,
    patch_nx_max  BIGINT,
    patch_ny_max  BIGINT
);

CREATE TABLE tract (
    skymap  VARCHAR(64) NOT NULL REFERENCES skymap (name),
    id      BIGINT NOT NULL,
    region  TEXT,
    PRIMARY KEY (skymap, id)
);

CREATE TABLE patch (
    skymap  VARCHAR(64) NOT NULL REFERENCES skymap (name),
    tract   BIGINT NOT NULL,
    id      BIGINT NOT NULL,
    cell_x  BIGINT NOT NULL,
    cell_y  BIGINT NOT NULL,
    region  TEXT,
    PRIMARY KEY (skymap, tract, id),
    FOREIGN KEY (skymap, tract) REFERENCES tract (skymap, id)
);

-- ============================================================================================================
-- Collections (daf_butler SynthIntKeyCollectionManager layout).
-- ============================================================================================================

-- type: RUN=1, TAGGED=2, CHAINED=3, CALIBRATION=4 (daf_butler CollectionType values).
-- Names are TEXT on purpose: daf_butler limits them to 64 characters (COLLECTION_NAME_MAX_LENGTH), but RTN-103's
-- tree holds LSSTComCam/calib/DM-48955/illumCorr/illuminationCorrection.20250224a, which has 68.
CREATE TABLE collection (
    collection_id  BIGSERIAL PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE CHECK (name <> ''),
    type           SMALLINT NOT NULL CHECK (type IN (1, 2, 3, 4)),
    doc            TEXT
);

-- The extra state of a RUN collection. Deleting the collection row deletes this row and, through
-- dataset.run_id, every dataset of the run (with their tags, certifications and datastore records).
CREATE TABLE run (
    collection_id  BIGINT PRIMARY KEY REFERENCES collection (collection_id) ON DELETE CASCADE,
    host           VARCHAR(128),
    timespan       INT8RANGE
);

-- The ordered children of a CHAINED collection. Positions are 16-bit and may be negative: prepend inserts at
-- min(position) - n, as daf_butler does. A collection that is still some chain's child cannot be deleted (no
-- cascade on child). Whether `parent` is CHAINED and the absence of longer cycles are checked by the Java side.
CREATE TABLE collection_chain (
    parent    BIGINT NOT NULL REFERENCES collection (collection_id) ON DELETE CASCADE,
    position  SMALLINT NOT NULL,
    child     BIGINT NOT NULL REFERENCES collection (collection_id),
    PRIMARY KEY (parent, position),
    CHECK (parent <> child)
);
-- query-collections --chains=INVERSE-TREE / INVERSE-TABLE (parents of a collection) and the FK on child.
CREATE INDEX collection_chain_child_idx ON collection_chain (child);

-- ============================================================================================================
-- Datasets. Design decided for autobutler, different from daf_butler's dynamic per-dimension-group tables:
--   * ONE dataset table for all dataset types, with one nullable column per dimension that can be a required
--     dimension of a dataset type in universe 7 (NULL where the type does not have that dimension), plus
--     data_id_key: the canonical text of the REQUIRED data ID computed by the Java side, `name=value` pairs in
--     universe sort order joined by commas (e.g. instrument=LSSTComCam,detector=3,exposure=2024110800123; the
--     empty string for a dimensionless data ID). data_id_key makes one uniqueness rule serve every dimension set.
--   * RUN membership is dataset.run_id (daf_butler writes an extra tags row for it; we do not).
--     UNIQUE (run_id, dataset_type_id, data_id_key) is the butler's "one dataset per dataset type and data ID per
--     RUN".
--   * dataset_tags holds TAGGED membership only; dataset_calibs CALIBRATION membership with a validity range.
--     Both copy dataset_type_id and data_id_key from the dataset row (insert them with INSERT ... SELECT from
--     dataset) so that their uniqueness rules can be plain constraints.
--   * That a tags row points at a TAGGED collection, a calibs row at a CALIBRATION collection and only at a
--     dataset type with is_calibration, is checked by the Java side, as daf_butler does in Python.
-- ============================================================================================================

-- dimensions: all dimension names of the type (required and implied) in universe sort order, as exports write
-- them (raw: {band,instrument,day_obs,detector,group,physical_filter,exposure}); required: the required ones
-- (raw: {instrument,detector,exposure}), which are the columns of data_id_key. Both are empty for a
-- dimensionless type.
CREATE TABLE dataset_type (
    id              BIGSERIAL PRIMARY KEY,
    name            VARCHAR(128) NOT NULL UNIQUE,
    storage_class   VARCHAR(64) NOT NULL,
    dimensions      TEXT[] NOT NULL,
    required        TEXT[] NOT NULL CHECK (required <@ dimensions),
    is_calibration  BOOLEAN NOT NULL
);

-- The dimension columns are in universe sort order and typed like the dimensions' primary keys. Composite
-- foreign keys (MATCH SIMPLE: not checked while any of their columns is NULL) keep data IDs pointing at
-- existing dimension records, as daf_butler's tags tables do; band and htm7 have no table to point at.
-- ingest_date is UTC whatever the session's time zone.
CREATE TABLE dataset (
    id               UUID PRIMARY KEY,
    dataset_type_id  BIGINT NOT NULL REFERENCES dataset_type (id),
    run_id           BIGINT NOT NULL REFERENCES run (collection_id) ON DELETE CASCADE,
    ingest_date      TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    data_id_key      TEXT NOT NULL,
    band             VARCHAR(32),
    htm7             BIGINT,
    instrument       VARCHAR(32) REFERENCES instrument (name),
    skymap           VARCHAR(64) REFERENCES skymap (name),
    day_obs          BIGINT,
    detector         BIGINT,
    "group"          VARCHAR(64),
    physical_filter  VARCHAR(32),
    subfilter        BIGINT,
    tract            BIGINT,
    visit_system     BIGINT,
    exposure         BIGINT,
    patch            BIGINT,
    visit            BIGINT,
    -- One dataset per dataset type and data ID per RUN; also serves "datasets of type T in run R".
    CONSTRAINT dataset_run_type_data_id_key UNIQUE (run_id, dataset_type_id, data_id_key),
    FOREIGN KEY (instrument, day_obs) REFERENCES day_obs (instrument, id),
    FOREIGN KEY (instrument, detector) REFERENCES detector (instrument, id),
    FOREIGN KEY (instrument, "group") REFERENCES "group" (instrument, name),
    FOREIGN KEY (instrument, physical_filter) REFERENCES physical_filter (instrument, name),
    FOREIGN KEY (band, subfilter) REFERENCES subfilter (band, id),
    FOREIGN KEY (skymap, tract) REFERENCES tract (skymap, id),
    FOREIGN KEY (instrument, visit_system) REFERENCES visit_system (instrument, id),
    FOREIGN KEY (instrument, exposure) REFERENCES exposure (instrument, id),
    FOREIGN KEY (skymap, tract, patch) REFERENCES patch (skymap, tract, id),
    FOREIGN KEY (instrument, visit) REFERENCES visit (instrument, id)
);
-- raw datasets joined with exposure records (query-datasets raw --where exposure.observation_type='science').
CREATE INDEX dataset_exposure_idx ON dataset (instrument, exposure);
-- Finding a data ID across runs (find-first over a chain, import conflict checks).
CREATE INDEX dataset_data_id_key_idx ON dataset (data_id_key);
-- Datasets of one type whatever their run (collection summaries, deleting a dataset type).
CREATE INDEX dataset_dataset_type_idx ON dataset (dataset_type_id);
-- Per-visit and per-patch look-ups; partial, since most rows (raws, calibrations) have no visit or tract.
CREATE INDEX dataset_visit_idx ON dataset (instrument, visit) WHERE visit IS NOT NULL;
CREATE INDEX dataset_patch_idx ON dataset (skymap, tract, patch) WHERE tract IS NOT NULL;
-- Reference-catalog shards by htm7 pixel.
CREATE INDEX dataset_htm7_idx ON dataset (htm7) WHERE htm7 IS NOT NULL;

-- TAGGED membership. Re-tagging the same dataset is a primary-key conflict (the Java side makes it a no-op); a
-- different dataset with the same type and data ID in the same collection violates
-- dataset_tags_collection_type_data_id_key (daf_butler: ConflictingDefinitionError).
CREATE TABLE dataset_tags (
    collection_id    BIGINT NOT NULL REFERENCES collection (collection_id) ON DELETE CASCADE,
    dataset_id       UUID NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
    dataset_type_id  BIGINT NOT NULL REFERENCES dataset_type (id),
    data_id_key      TEXT NOT NULL,
    PRIMARY KEY (collection_id, dataset_id),
    CONSTRAINT dataset_tags_collection_type_data_id_key UNIQUE (collection_id, dataset_type_id, data_id_key)
);
-- The collections a dataset is tagged in, and the cascade from dataset.
CREATE INDEX dataset_tags_dataset_idx ON dataset_tags (dataset_id);

-- CALIBRATION membership with a validity range. The same dataset may be certified several times with different
-- ranges. dataset_calibs_no_overlap enforces the butler's rule that, within one collection, ranges of the same
-- dataset type and data ID never overlap; adjacent half-open ranges [a,b) [b,c) do not overlap. A violation is
-- SQLSTATE 23P01 naming this constraint (daf_butler: ConflictingDefinitionError "Validity range conflict").
-- Its GiST index also serves look-ups by (collection, type, data ID, time).
CREATE TABLE dataset_calibs (
    id               BIGSERIAL PRIMARY KEY,
    collection_id    BIGINT NOT NULL REFERENCES collection (collection_id) ON DELETE CASCADE,
    dataset_id       UUID NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
    dataset_type_id  BIGINT NOT NULL REFERENCES dataset_type (id),
    data_id_key      TEXT NOT NULL,
    timespan         INT8RANGE NOT NULL,
    CONSTRAINT dataset_calibs_no_overlap EXCLUDE USING gist (
        collection_id WITH =,
        dataset_type_id WITH =,
        data_id_key WITH =,
        timespan WITH &&
    )
);
-- The certifications of a dataset (decertify, export of associations) and the cascade from dataset.
CREATE INDEX dataset_calibs_dataset_idx ON dataset_calibs (dataset_id);

-- ============================================================================================================
-- Datastore (daf_butler FileDatastore records table, one datastore per repository).
-- ============================================================================================================

-- component is '__NULL_STRING__' for a whole-file dataset, as daf_butler writes it (NULL cannot be in a key).
-- path is an absolute URI for files ingested with transfer `direct`, otherwise relative to the datastore root.
CREATE TABLE file_datastore_records (
    dataset_id     UUID NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
    component      VARCHAR(32) NOT NULL DEFAULT '__NULL_STRING__',
    path           TEXT NOT NULL,
    formatter      VARCHAR(128),
    storage_class  VARCHAR(64),
    checksum       VARCHAR(128),
    file_size      BIGINT,
    PRIMARY KEY (dataset_id, component)
);
-- Which datasets a file holds (replica events carry a file's URI; re-ingest checks).
CREATE INDEX file_datastore_records_path_idx ON file_datastore_records (path);

-- ============================================================================================================
-- Repository attributes (daf_butler butler_attributes).
-- ============================================================================================================

-- schema_version is the version of this autobutler registry schema; every later migration that changes the
-- schema updates it.
CREATE TABLE butler_attributes (
    name   VARCHAR(1024) PRIMARY KEY,
    value  TEXT
);
INSERT INTO butler_attributes (name, value) VALUES
    ('universe_version', '7'),
    ('universe_namespace', 'daf_butler'),
    ('schema_version', '1');
