package io.autobutler.core.query.expr;

import java.util.Optional;

/**
 * A {@code --where} expression that cannot be parsed or translated: always the user's mistake, so an HTTP layer can
 * answer 400 with {@link #getMessage()}.
 *
 * <p>The messages of the first three kinds are daf_butler's (parserLex.py / parserYacc.py at w.2025.20):
 * <ul>
 *   <li>{@link Kind#UNEXPECTED_CHARACTER}: {@code Unexpected character at position N}, N being the 0-based offset
 *       of the character in the whole expression;</li>
 *   <li>{@link Kind#SYNTAX}: {@code Syntax error at or near '<token>' (line: L, pos: P)}, P being 1-based within
 *       line L; the token is shown as daf_butler shows its value (strings and time literals without their quotes,
 *       keywords in upper case, bind names without the colon, ranges as {@code (start, stop, stride)});</li>
 *   <li>{@link Kind#END_OF_INPUT}: {@code End of input reached while expecting further input}.</li>
 * </ul>
 * {@link Kind#INVALID} errors (unknown or ambiguous identifiers, type mismatches, missing binds, unsupported
 * functions) end with the same {@code (line: L, pos: P)} suffix naming the node at fault.
 */
public final class ExpressionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** The lexer found a character that starts no token. */
    UNEXPECTED_CHARACTER,
    /** The parser found a token it cannot accept there (also: a malformed time literal). */
    SYNTAX,
    /** The expression ended too early. */
    END_OF_INPUT,
    /** The expression parses but means nothing in this query. */
    INVALID
  }

  private final Kind kind;
  private final transient SourcePos pos;
  private final String detail;

  public ExpressionException(Kind kind, String message, SourcePos pos) {
    this(kind, message, pos, null);
  }

  public ExpressionException(Kind kind, String message, SourcePos pos, String detail) {
    super(message);
    this.kind = kind;
    this.pos = pos == null ? SourcePos.START : pos;
    this.detail = detail;
  }

  /** An {@link Kind#INVALID} error about the node at {@code pos}: the message gets the position suffix. */
  static ExpressionException invalid(String message, SourcePos pos) {
    return new ExpressionException(Kind.INVALID, message + " " + pos.describe(), pos);
  }

  public Kind kind() {
    return kind;
  }

  /** Where the error is: for {@link Kind#END_OF_INPUT}, the end of the expression. */
  public SourcePos sourcePos() {
    return pos;
  }

  /** 0-based offset of the error in the whole expression. */
  public int position() {
    return pos.offset();
  }

  /** 1-based line of the error. */
  public int line() {
    return pos.line();
  }

  /** 0-based offset of the error within its line. */
  public int column() {
    return pos.column();
  }

  /** More about the error when the message alone is terse (e.g. why a time literal was rejected). */
  public Optional<String> detail() {
    return Optional.ofNullable(detail);
  }
}
