package io.autobutler.core.transfer;

import io.autobutler.core.registry.collections.CollectionType;
import io.autobutler.core.time.TaiTime;
import java.util.List;
import java.util.Objects;

/**
 * A {@code type: collection} block (also what the legacy {@code type: run} entry is read as).
 *
 * @param type          RUN, TAGGED, CHAINED or CALIBRATION
 * @param name          the collection's name
 * @param doc           its documentation, or null (written only when not null)
 * @param host          RUN only: the {@code host} value (daf_butler always writes null)
 * @param timespanBegin RUN only: {@code timespan_begin}, null when unbounded
 * @param timespanEnd   RUN only: {@code timespan_end}, null when unbounded
 * @param children      CHAINED only: the ordered children; empty for other types
 */
public record CollectionBlock(CollectionType type, String name, String doc, String host, TaiTime timespanBegin,
                              TaiTime timespanEnd, List<String> children) implements ExportBlock {

  public CollectionBlock {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    children = List.copyOf(children);
    if (type != CollectionType.RUN && (host != null || timespanBegin != null || timespanEnd != null)) {
      throw new IllegalArgumentException("only RUN collections have a host and a timespan");
    }
    if (type != CollectionType.CHAINED && !children.isEmpty()) {
      throw new IllegalArgumentException("only CHAINED collections have children");
    }
  }

  public static CollectionBlock run(String name, String doc) {
    return new CollectionBlock(CollectionType.RUN, name, doc, null, null, null, List.of());
  }

  public static CollectionBlock run(String name, String doc, String host, TaiTime timespanBegin,
                                    TaiTime timespanEnd) {
    return new CollectionBlock(CollectionType.RUN, name, doc, host, timespanBegin, timespanEnd, List.of());
  }

  public static CollectionBlock tagged(String name, String doc) {
    return new CollectionBlock(CollectionType.TAGGED, name, doc, null, null, null, List.of());
  }

  public static CollectionBlock calibration(String name, String doc) {
    return new CollectionBlock(CollectionType.CALIBRATION, name, doc, null, null, null, List.of());
  }

  public static CollectionBlock chained(String name, String doc, List<String> children) {
    return new CollectionBlock(CollectionType.CHAINED, name, doc, null, null, null, children);
  }

  @Override
  public String yamlType() {
    return "collection";
  }
}
