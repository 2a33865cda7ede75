package io.autobutler.core.query.expr;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A translated {@code --where} expression.
 *
 * @param sql            a PostgreSQL boolean expression; every value of the expression is a {@code ?} placeholder, so
 *                       the text holds only names from the dimension universe, the dataset table alias, the SQL the
 *                       caller put in the {@link QueryContext}, operators and SQL keywords
 * @param parameters     the values of the placeholders, in order (Long, Double, String, Boolean, UUID, byte[],
 *                       LocalDateTime for UTC timestamps); never null, and never containing null
 * @param elementsToJoin the dimension-element tables the caller must join, in an order in which each one's join
 *                       condition only refers to the dataset table and to elements before it; the conditions come
 *                       from {@link QueryContext#joinClauses(java.util.Collection)}
 */
public record SqlPredicate(String sql, List<Object> parameters, Set<String> elementsToJoin) {

  /** The translation of an empty expression: no constraint. */
  public static final SqlPredicate TRUE = new SqlPredicate("TRUE", List.of(), Set.of());

  public SqlPredicate {
    parameters = List.copyOf(parameters);
    elementsToJoin = Collections.unmodifiableSet(new LinkedHashSet<>(elementsToJoin));
  }

  /** True when the expression constrains nothing. */
  public boolean isTrue() {
    return sql.equals("TRUE") && parameters.isEmpty();
  }

  /**
   * Sets the parameters on a statement whose SQL embeds {@link #sql()}, starting at placeholder {@code firstIndex}
   * (1-based), and returns the index of the next placeholder.
   */
  public int bind(PreparedStatement statement, int firstIndex) throws SQLException {
    int index = firstIndex;
    for (Object parameter : parameters) {
      statement.setObject(index++, parameter);
    }
    return index;
  }
}
