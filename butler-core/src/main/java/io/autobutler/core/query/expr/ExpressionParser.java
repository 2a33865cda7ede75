package io.autobutler.core.query.expr;

import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Lexer;
import org.antlr.v4.runtime.LexerNoViableAltException;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/**
 * Parses daf_butler's {@code --where} language (grammar {@code ButlerExpression.g4}) into a {@link Node} tree.
 *
 * <p>Errors are thrown at the first problem, with daf_butler's messages (see {@link ExpressionException}); the
 * ANTLR error listeners print nothing and the parser never recovers.
 *
 * <p>Two limits, beyond daf_butler's language, keep hostile input cheap: at most {@link #MAX_DEPTH} levels of
 * nesting (parentheses plus consecutive prefix operators) and at most {@link #MAX_OPERATORS} operators. Both are
 * {@link ExpressionException.Kind#INVALID} errors. Long left-associative chains ({@code a OR b OR ...}) are
 * built, rendered and translated without recursion, and parsing and translating at the limits needs well under
 * 512 KiB of thread stack.
 */
public final class ExpressionParser {

  /** The deepest nesting accepted: open parentheses plus consecutive prefix operators ({@code NOT}, {@code -}). */
  public static final int MAX_DEPTH = 100;
  /**
   * The most operators (keywords and symbols) an expression may have; an IN list of any length counts as one. This
   * bounds the work and the nesting of the SQL produced (long lists belong in IN or in bound lists).
   */
  public static final int MAX_OPERATORS = 1_000;

  private static final ThrowingListener LISTENER = new ThrowingListener();

  private ExpressionParser() {
  }

  /**
   * Parses an expression. An empty (or blank, or null) expression means "no constraint" and gives an empty result.
   *
   * @throws ExpressionException when the expression is not in the language
   */
  public static Optional<Node> parse(String expression) {
    if (expression == null) {
      return Optional.empty();
    }
    ButlerExpressionLexer lexer = new LimitedLexer(CharStreams.fromString(expression));
    lexer.removeErrorListeners();
    lexer.addErrorListener(LISTENER);
    ButlerExpressionParser parser = new ButlerExpressionParser(new CommonTokenStream(lexer));
    parser.removeErrorListeners();
    parser.addErrorListener(LISTENER);
    try {
      return Optional.ofNullable(new TreeBuilder().visit(parser.input()));
    } catch (StackOverflowError e) {
      throw new ExpressionException(ExpressionException.Kind.INVALID, "Expression is too deeply nested",
          SourcePos.START);
    }
  }

  /**
   * A compact prefix rendering of a tree, for tests and logs: {@code (AND (> visit 100) (IN band ['r' 'i']))}.
   * Parentheses of the source are left out (the structure shows them); tuples are {@code (tuple a b)}, function
   * calls {@code (call NAME a b)}.
   */
  public static String toSExpression(Node node) {
    if (node == null) {
      return "()";
    }
    if (node instanceof Node.NumericLiteral n) {
      return n.text();
    }
    if (node instanceof Node.UnaryOp u) {
      return "(" + u.op().symbol() + " " + toSExpression(u.operand()) + ")";
    }
    if (node instanceof Node.BinaryOp b) {
      return "(" + b.op().symbol() + " " + toSExpression(b.lhs()) + " " + toSExpression(b.rhs()) + ")";
    }
    if (node instanceof Node.IsIn in) {
      return "(" + (in.notIn() ? "NOT-IN " : "IN ") + toSExpression(in.lhs()) + " ["
          + in.values().stream().map(ExpressionParser::toSExpression).collect(Collectors.joining(" ")) + "])";
    }
    if (node instanceof Node.Parens p) {
      return toSExpression(p.expr());
    }
    if (node instanceof Node.TupleNode t) {
      return "(tuple " + toSExpression(t.first()) + " " + toSExpression(t.second()) + ")";
    }
    if (node instanceof Node.FunctionCall f) {
      return "(call " + f.name() + f.args().stream().map(a -> " " + toSExpression(a)).collect(Collectors.joining())
          + ")";
    }
    if (node instanceof Node.PointNode p) {
      return "(POINT " + toSExpression(p.ra()) + " " + toSExpression(p.dec()) + ")";
    }
    if (node instanceof Node.GlobNode g) {
      return "(GLOB " + toSExpression(g.expression()) + " " + toSExpression(g.pattern()) + ")";
    }
    // Literals, identifiers and bind names render as written.
    return node.toString();
  }

  static SourcePos pos(Token token) {
    return new SourcePos(token.getStartIndex(), token.getLine(), token.getCharPositionInLine());
  }

  /** A token's value as daf_butler's PLY lexer holds it, which is what its syntax errors show. */
  static String tokenValue(Token token) {
    String text = token.getText();
    return switch (token.getType()) {
      case ButlerExpressionLexer.STRING_LITERAL -> text.substring(1, text.length() - 1);
      case ButlerExpressionLexer.TIME_LITERAL -> text.substring(2, text.length() - 1);
      case ButlerExpressionLexer.BIND_NAME -> text.substring(1);
      case ButlerExpressionLexer.IN, ButlerExpressionLexer.OR, ButlerExpressionLexer.AND,
          ButlerExpressionLexer.NOT, ButlerExpressionLexer.OVERLAPS -> text.toUpperCase(Locale.ROOT);
      case ButlerExpressionLexer.RANGE_LITERAL -> {
        try {
          Node.RangeLiteral range = TreeBuilder.range(token);
          yield "(" + range.start() + ", " + range.stop() + ", "
              + (range.stride() == null ? "None" : range.stride().toString()) + ")";
        } catch (ExpressionException e) {
          yield text;
        }
      }
      default -> text;
    };
  }

  /**
   * Enforces {@link #MAX_DEPTH} and {@link #MAX_OPERATORS} as the parser reads the tokens (so that errors earlier in
   * the expression are still reported first). Nesting is what makes the parser recurse: open parentheses plus
   * runs of prefix operators ({@code NOT NOT x}, {@code - -x}).
   */
  private static final class LimitedLexer extends ButlerExpressionLexer {
    private int parens;
    private int prefixRun;
    private int operators;
    private boolean afterOperand;

    LimitedLexer(org.antlr.v4.runtime.CharStream input) {
      super(input);
    }

    @Override
    public Token nextToken() {
      Token token = super.nextToken();
      int type = token.getType();
      switch (type) {
        case LPAREN -> {
          parens++;
          afterOperand = false;
        }
        case RPAREN -> {
          parens--;
          afterOperand = true;
        }
        case COMMA -> afterOperand = false;
        case NUMERIC_LITERAL, STRING_LITERAL, TIME_LITERAL, RANGE_LITERAL, QUALIFIED_IDENTIFIER, SIMPLE_IDENTIFIER,
            BIND_NAME -> {
          prefixRun = 0;
          afterOperand = true;
        }
        case Token.EOF -> {
          return token;
        }
        default -> {
          // An operator: prefix when nothing it could apply to precedes it.
          if (!afterOperand && (type == NOT || type == ADD || type == SUB)) {
            prefixRun++;
          }
          afterOperand = false;
          if (++operators > MAX_OPERATORS) {
            throw new ExpressionException(ExpressionException.Kind.INVALID, "Expression has too many operators"
                + " (more than " + MAX_OPERATORS + ") " + pos(token).describe(), pos(token));
          }
        }
      }
      if (parens + prefixRun > MAX_DEPTH) {
        throw new ExpressionException(ExpressionException.Kind.INVALID, "Expression is nested too deeply (more than "
            + MAX_DEPTH + " levels of parentheses and prefix operators) " + pos(token).describe(), pos(token));
      }
      return token;
    }
  }

  /** Turns the first lexer or parser error into an {@link ExpressionException}. */
  private static final class ThrowingListener extends BaseErrorListener {
    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine,
                            String msg, RecognitionException e) {
      if (recognizer instanceof Lexer lexer) {
        int index = e instanceof LexerNoViableAltException noViableAlt ? noViableAlt.getStartIndex()
            : lexer._tokenStartCharIndex;
        throw new ExpressionException(ExpressionException.Kind.UNEXPECTED_CHARACTER,
            "Unexpected character at position " + index, new SourcePos(index, line, charPositionInLine));
      }
      if (!(offendingSymbol instanceof Token token) || token.getType() == Token.EOF) {
        SourcePos end = offendingSymbol instanceof Token eof ? pos(eof)
            : new SourcePos(Math.max(0, charPositionInLine), line, charPositionInLine);
        throw new ExpressionException(ExpressionException.Kind.END_OF_INPUT,
            "End of input reached while expecting further input", end);
      }
      SourcePos at = pos(token);
      throw new ExpressionException(ExpressionException.Kind.SYNTAX,
          "Syntax error at or near '" + tokenValue(token) + "' " + at.describe(), at);
    }
  }
}
