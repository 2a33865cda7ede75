package io.autobutler.core.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON form of every event on autobutler's topics, in one place for producers and consumers: ISO-8601
 * instants, unknown fields ignored (a newer producer may add some), absent fields null.
 */
public final class EventJson {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private EventJson() {
  }

  public static String write(Object event) {
    try {
      return MAPPER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write event " + event + ": " + e.getOriginalMessage(), e);
    }
  }

  /** Reads an event; a malformed one raises {@link MalformedEventException} with a readable reason. */
  public static <T> T read(String json, Class<T> type) {
    if (json == null || json.isBlank()) {
      throw new MalformedEventException("empty record value, expected a " + type.getSimpleName() + " as JSON");
    }
    try {
      T event = MAPPER.readValue(json, type);
      if (event == null) {
        throw new MalformedEventException("record value is JSON null, expected a " + type.getSimpleName());
      }
      return event;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr();
      throw new MalformedEventException("not a valid " + type.getSimpleName() + where + ": " + e.getOriginalMessage());
    }
  }

  /** An event that cannot be read or used; its message is the dead-letter reason. */
  public static final class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message) {
      super(message);
    }
  }
}
