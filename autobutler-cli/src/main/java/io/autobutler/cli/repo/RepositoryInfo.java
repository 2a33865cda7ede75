package io.autobutler.cli.repo;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A repository as catalog-service describes it ({@code POST /api/repositories} → 201). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RepositoryInfo(String name, String namespace, String registryDb, String datastoreName,
                             String datastoreRoot) {
}
