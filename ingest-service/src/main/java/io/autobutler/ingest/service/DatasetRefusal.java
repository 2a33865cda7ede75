package io.autobutler.ingest.service;

/**
 * Why a complete Rucio dataset cannot be taken by its rule: the error class and a readable reason, for the
 * dead-letter record of its {@code rucio.datasets} event.
 */
public record DatasetRefusal(String cause, String reason) {
}
