package io.autobutler.core.query.expr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Bind values given as text ({@code --bind name=value}, or a REST query parameter {@code bind=name=value}): an
 * integer stays an integer, anything else is a string. The values only ever reach SQL as bound parameters.
 */
public final class BindValues {

  private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");

  private BindValues() {
  }

  /**
   * The bind map of {@code name=value} texts, in order.
   *
   * @throws IllegalArgumentException for a text without a name and {@code =}
   */
  public static Map<String, Object> parse(List<String> binds) {
    Map<String, Object> values = new LinkedHashMap<>();
    if (binds == null) {
      return values;
    }
    for (String bind : binds) {
      int equals = bind.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException("bind '" + bind + "' must be name=value");
      }
      String value = bind.substring(equals + 1);
      values.put(bind.substring(0, equals), INTEGER.matcher(value).matches() ? (Object) Long.parseLong(value) : value);
    }
    return values;
  }
}
