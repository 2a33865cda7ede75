package io.autobutler.core.query.expr;

/**
 * Where something is in an expression.
 *
 * @param offset 0-based offset from the start of the expression, in characters (Unicode code points)
 * @param line   1-based line number
 * @param column 0-based offset within that line
 */
public record SourcePos(int offset, int line, int column) {

  /** The start of an expression. */
  public static final SourcePos START = new SourcePos(0, 1, 0);

  /** daf_butler's rendering, {@code (line: L, pos: P)}, where P is 1-based within the line. */
  public String describe() {
    return "(line: " + line + ", pos: " + (column + 1) + ")";
  }
}
