package io.autobutler.core.ingest.index;

import java.net.URI;

import io.autobutler.core.ingest.obsinfo.ObservationInfo;

/**
 * One file of an {@code _index.json}: its key as written (relative to the index's folder, possibly with
 * {@code ../}), the file's absolute URI, and its translated metadata with {@code __COMMON__} merged in.
 */
public record IndexEntry(String key, URI file, ObservationInfo info) {
}
