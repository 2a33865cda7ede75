package io.autobutler.core.repository;

import java.time.OffsetDateTime;

/**
 * A butler data repository known to this installation: its registry is schema {@code namespace} of the database
 * at {@code registryDb} (shown as {@code postgresql://host:port/database}, never with credentials).
 */
public record Repository(String name, String namespace, String registryDb, String datastoreName,
                         String datastoreRoot, OffsetDateTime createdAt) {
}
