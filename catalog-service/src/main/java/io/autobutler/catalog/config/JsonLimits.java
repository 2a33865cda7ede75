package io.autobutler.catalog.config;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * An import request carries a whole export file as one JSON string; a campaign's raws make tens of megabytes,
 * beyond Jackson's default limit of 20 million characters for one string. The request body limit
 * ({@code quarkus.http.limits.max-body-size}) still bounds what a client can send.
 */
@Singleton
public class JsonLimits implements ObjectMapperCustomizer {

  private static final int MAX_STRING_LENGTH = 1 << 30;

  @Override
  public void customize(ObjectMapper mapper) {
    mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxStringLength(MAX_STRING_LENGTH).build());
  }
}
