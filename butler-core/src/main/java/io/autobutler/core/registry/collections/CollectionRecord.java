package io.autobutler.core.registry.collections;

/** A collection as stored: its synthetic key, name, type and documentation string. */
public record CollectionRecord(long id, String name, CollectionType type, String doc) {
}
