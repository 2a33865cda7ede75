package io.autobutler.core.query.expr;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The immutable tree of a parsed {@code --where} expression, shaped like daf_butler's {@code exprTree.py}.
 *
 * <p>Every node knows where it is ({@link #pos()}): the operator token for {@link UnaryOp}, {@link BinaryOp} and
 * {@link IsIn} (the {@code IN}, or the {@code NOT} of {@code NOT IN}), the first character for the others.
 * Positions are not part of the structure a test would compare: use {@link #toString()} (the expression text,
 * normalised) or {@link ExpressionParser#toSExpression(Node)}.
 */
public sealed interface Node {

  SourcePos pos();

  /** Binary operators, boolean, comparison and arithmetic. */
  enum BinaryOperator {
    OR("OR"), AND("AND"),
    EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="), OVERLAPS("OVERLAPS"),
    ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%");

    private final String symbol;

    BinaryOperator(String symbol) {
      this.symbol = symbol;
    }

    /** The operator as written in expressions (keywords in upper case). */
    public String symbol() {
      return symbol;
    }

    public boolean isLogical() {
      return this == OR || this == AND;
    }

    public boolean isComparison() {
      return ordinal() >= EQ.ordinal() && ordinal() <= OVERLAPS.ordinal();
    }

    public boolean isArithmetic() {
      return ordinal() >= ADD.ordinal();
    }
  }

  /** Unary operators. */
  enum UnaryOperator {
    NOT("NOT"), PLUS("+"), MINUS("-");

    private final String symbol;

    UnaryOperator(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  /**
   * A number, kept as written ({@code 1}, {@code -2}, {@code 1.5}, {@code 1e5}, {@code .5}); the translator types
   * it: an integer when the text is one, a float otherwise.
   */
  record NumericLiteral(String text, SourcePos pos) implements Node {
    public NumericLiteral {
      Objects.requireNonNull(text);
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** A string literal's content, without quotes (the language has no escapes). */
  record StringLiteral(String value, SourcePos pos) implements Node {
    public StringLiteral {
      Objects.requireNonNull(value);
    }

    @Override
    public String toString() {
      return "'" + value + "'";
    }
  }

  /**
   * A time literal {@code T'...'}: its text, the format and scale it was read with (given or guessed), and the
   * instant as butler time (TAI nanoseconds since 1970-01-01T00:00:00 TAI, clipped to daf_butler's range).
   */
  record TimeLiteral(String text, String format, String scale, long taiNanos, SourcePos pos) implements Node {
    @Override
    public String toString() {
      return "T'" + text + "'";
    }
  }

  /** {@code start..stop[:stride]}, inclusive; {@code stride} is null when not written (meaning 1). */
  record RangeLiteral(long start, long stop, Long stride, SourcePos pos) implements Node {
    public long strideOrOne() {
      return stride == null ? 1 : stride;
    }

    @Override
    public String toString() {
      return start + ".." + stop + (stride == null ? "" : ":" + stride);
    }
  }

  /** {@code UUID('...')}. */
  record UuidLiteral(UUID value, SourcePos pos) implements Node {
    @Override
    public String toString() {
      return "UUID('" + value + "')";
    }
  }

  /** A simple ({@code visit}) or qualified ({@code visit.timespan.begin}) identifier, as written. */
  record Identifier(String name, SourcePos pos) implements Node {
    @Override
    public String toString() {
      return name;
    }
  }

  /** {@code :name}; {@code name} is without the colon. */
  record BindName(String name, SourcePos pos) implements Node {
    @Override
    public String toString() {
      return ":" + name;
    }
  }

  record UnaryOp(UnaryOperator op, Node operand, SourcePos pos) implements Node {
    @Override
    public String toString() {
      return op == UnaryOperator.NOT ? "NOT " + operand : op.symbol() + operand;
    }
  }

  record BinaryOp(Node lhs, BinaryOperator op, Node rhs, SourcePos pos) implements Node {
    @Override
    public String toString() {
      // Left-associative chains can be long: render the left spine in a loop rather than recursively.
      java.util.Deque<BinaryOp> spine = new java.util.ArrayDeque<>();
      Node current = this;
      while (current instanceof BinaryOp b) {
        spine.push(b);
        current = b.lhs();
      }
      StringBuilder text = new StringBuilder(current.toString());
      while (!spine.isEmpty()) {
        BinaryOp b = spine.pop();
        text.append(' ').append(b.op().symbol()).append(' ').append(b.rhs());
      }
      return text.toString();
    }
  }

  /** {@code lhs IN (values...)} or {@code lhs NOT IN (values...)}. */
  record IsIn(Node lhs, List<Node> values, boolean notIn, SourcePos pos) implements Node {
    public IsIn {
      values = List.copyOf(values);
    }

    @Override
    public String toString() {
      return lhs + (notIn ? " NOT IN (" : " IN (") + join(values) + ")";
    }
  }

  /** A parenthesised expression. */
  record Parens(Node expr, SourcePos pos) implements Node {
    @Override
    public String toString() {
      return "(" + expr + ")";
    }
  }

  /** {@code (first, second)}: a time range (begin, end). */
  record TupleNode(Node first, Node second, SourcePos pos) implements Node {
    @Override
    public String toString() {
      return "(" + first + ", " + second + ")";
    }
  }

  /** A call of a function without a node of its own: the translator rejects it. */
  record FunctionCall(String name, List<Node> args, SourcePos pos) implements Node {
    public FunctionCall {
      args = List.copyOf(args);
    }

    @Override
    public String toString() {
      return name + "(" + join(args) + ")";
    }
  }

  /** {@code POINT(ra, dec)}, in degrees. */
  record PointNode(Node ra, Node dec, SourcePos pos) implements Node {
    @Override
    public String toString() {
      return "POINT(" + ra + ", " + dec + ")";
    }
  }

  /** {@code GLOB(identifier, 'pattern' or :bind)}: a case-sensitive match with {@code *} and {@code ?}. */
  record GlobNode(Identifier expression, Node pattern, SourcePos pos) implements Node {
    @Override
    public String toString() {
      return "GLOB(" + expression + ", " + pattern + ")";
    }
  }

  private static String join(List<Node> nodes) {
    return nodes.stream().map(Node::toString).collect(Collectors.joining(", "));
  }
}
