package io.autobutler.core.query.expr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

import io.autobutler.core.query.expr.ButlerExpressionParser.AddExprContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.AndExprContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.BindExprContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.BindItemContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.ComparisonContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.ExprContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.FunctionCallContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.FunctionExprContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.FunctionItemContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.IdentifierExprContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.IdentifierItemContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.InputContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.LiteralContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.LiteralExprContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.MulExprContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.NotExprContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.NumericItemContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.OrExprContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.ParenOrTupleExprContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.PlainBitExprContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.PlainBoolPrimaryContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.PredicateContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.PrimaryExprContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.RangeItemContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.StringItemContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.TimeItemContext;
import io.autobutler.core.query.expr.ButlerExpressionParser.UnaryExprContext;

/**
 * Builds the {@link Node} tree from the ANTLR parse tree, with daf_butler's construction-time checks: time
 * literals are read (a bad one is a syntax error at the literal), {@code POINT}, {@code GLOB} and {@code UUID}
 * become their own nodes after their arguments are checked ({@code exprTree.py::function_call}), and a sign
 * written directly before a number becomes part of the number ({@code -5} is the literal {@code -5}).
 */
final class TreeBuilder extends ButlerExpressionBaseVisitor<Node> {

  private static final Pattern RANGE = Pattern.compile(
      "(-?\\d+)\\s*\\.\\.\\s*(-?\\d+)(?:\\s*:\\s*([1-9]\\d*))?");
  private static final Pattern HEX32 = Pattern.compile("[0-9a-fA-F]{32}");

  @Override
  public Node visitInput(InputContext ctx) {
    return ctx.expr() == null ? null : visit(ctx.expr());
  }

  @Override
  public Node visitNotExpr(NotExprContext ctx) {
    return new Node.UnaryOp(Node.UnaryOperator.NOT, visit(ctx.expr()), ExpressionParser.pos(ctx.NOT().getSymbol()));
  }

  @Override
  public Node visitAndExpr(AndExprContext ctx) {
    return binarySpine(ctx);
  }

  @Override
  public Node visitOrExpr(OrExprContext ctx) {
    return binarySpine(ctx);
  }

  @Override
  public Node visitPrimaryExpr(PrimaryExprContext ctx) {
    return visit(ctx.boolPrimary());
  }

  @Override
  public Node visitComparison(ComparisonContext ctx) {
    return binarySpine(ctx);
  }

  @Override
  public Node visitPlainBoolPrimary(PlainBoolPrimaryContext ctx) {
    return visit(ctx.predicate());
  }

  @Override
  public Node visitPredicate(PredicateContext ctx) {
    Node lhs = visit(ctx.bitExpr());
    if (ctx.IN() == null) {
      return lhs;
    }
    List<Node> values = new ArrayList<>();
    ctx.listItem().forEach(item -> values.add(visit(item)));
    Token at = ctx.NOT() != null ? ctx.NOT().getSymbol() : ctx.IN().getSymbol();
    return new Node.IsIn(lhs, values, ctx.NOT() != null, ExpressionParser.pos(at));
  }

  @Override
  public Node visitMulExpr(MulExprContext ctx) {
    return binarySpine(ctx);
  }

  @Override
  public Node visitAddExpr(AddExprContext ctx) {
    return binarySpine(ctx);
  }

  @Override
  public Node visitPlainBitExpr(PlainBitExprContext ctx) {
    return visit(ctx.simpleExpr());
  }

  @Override
  public Node visitLiteralExpr(LiteralExprContext ctx) {
    return literal(ctx.literal());
  }

  @Override
  public Node visitFunctionExpr(FunctionExprContext ctx) {
    return functionCall(ctx.functionCall());
  }

  @Override
  public Node visitIdentifierExpr(IdentifierExprContext ctx) {
    Token token = ctx.identifier().getStart();
    return new Node.Identifier(token.getText(), ExpressionParser.pos(token));
  }

  @Override
  public Node visitBindExpr(BindExprContext ctx) {
    return bindName(ctx.BIND_NAME());
  }

  @Override
  public Node visitUnaryExpr(UnaryExprContext ctx) {
    SourcePos at = ExpressionParser.pos(ctx.op);
    boolean minus = ctx.op.getType() == ButlerExpressionLexer.SUB;
    if (ctx.simpleExpr() instanceof LiteralExprContext lit && lit.literal().NUMERIC_LITERAL() != null) {
      // daf_butler's "literal : ADD NUMERIC_LITERAL | SUB NUMERIC_LITERAL": the sign is part of the number.
      return new Node.NumericLiteral((minus ? "-" : "+") + lit.literal().NUMERIC_LITERAL().getText(), at);
    }
    return new Node.UnaryOp(minus ? Node.UnaryOperator.MINUS : Node.UnaryOperator.PLUS, visit(ctx.simpleExpr()), at);
  }

  @Override
  public Node visitParenOrTupleExpr(ParenOrTupleExprContext ctx) {
    SourcePos at = ExpressionParser.pos(ctx.LPAREN().getSymbol());
    Node first = visit(ctx.expr(0));
    if (ctx.second == null) {
      return new Node.Parens(first, at);
    }
    return new Node.TupleNode(first, visit(ctx.second), at);
  }

  @Override
  public Node visitNumericItem(NumericItemContext ctx) {
    Token number = ctx.NUMERIC_LITERAL().getSymbol();
    if (ctx.sign == null) {
      return new Node.NumericLiteral(number.getText(), ExpressionParser.pos(number));
    }
    return new Node.NumericLiteral(ctx.sign.getText() + number.getText(), ExpressionParser.pos(ctx.sign));
  }

  @Override
  public Node visitStringItem(StringItemContext ctx) {
    return string(ctx.STRING_LITERAL().getSymbol());
  }

  @Override
  public Node visitTimeItem(TimeItemContext ctx) {
    return time(ctx.TIME_LITERAL().getSymbol());
  }

  @Override
  public Node visitRangeItem(RangeItemContext ctx) {
    return range(ctx.RANGE_LITERAL().getSymbol());
  }

  @Override
  public Node visitFunctionItem(FunctionItemContext ctx) {
    return functionCall(ctx.functionCall());
  }

  @Override
  public Node visitIdentifierItem(IdentifierItemContext ctx) {
    Token token = ctx.SIMPLE_IDENTIFIER().getSymbol();
    return new Node.Identifier(token.getText(), ExpressionParser.pos(token));
  }

  @Override
  public Node visitBindItem(BindItemContext ctx) {
    return bindName(ctx.BIND_NAME());
  }

  /**
   * Builds a left-associative chain ({@code a OR b OR c ...}, whose parse tree is as deep as the chain is long)
   * walking down its left spine in a loop, so that long chains need no deep recursion.
   */
  private Node binarySpine(ParserRuleContext top) {
    Deque<ParserRuleContext> spine = new ArrayDeque<>();
    ParserRuleContext current = top;
    while (isBinary(current)) {
      spine.push(current);
      current = (ParserRuleContext) current.getChild(0);
    }
    Node node = visit(current);
    while (!spine.isEmpty()) {
      ParserRuleContext ctx = spine.pop();
      Token op = ((TerminalNode) ctx.getChild(1)).getSymbol();
      node = new Node.BinaryOp(node, operator(op), visit(ctx.getChild(2)), ExpressionParser.pos(op));
    }
    return node;
  }

  private static boolean isBinary(ParserRuleContext ctx) {
    return ctx instanceof AndExprContext || ctx instanceof OrExprContext || ctx instanceof ComparisonContext
        || ctx instanceof MulExprContext || ctx instanceof AddExprContext;
  }

  private static Node.BinaryOperator operator(Token op) {
    return switch (op.getType()) {
      case ButlerExpressionLexer.OR -> Node.BinaryOperator.OR;
      case ButlerExpressionLexer.AND -> Node.BinaryOperator.AND;
      case ButlerExpressionLexer.EQ -> Node.BinaryOperator.EQ;
      case ButlerExpressionLexer.NE -> Node.BinaryOperator.NE;
      case ButlerExpressionLexer.LT -> Node.BinaryOperator.LT;
      case ButlerExpressionLexer.LE -> Node.BinaryOperator.LE;
      case ButlerExpressionLexer.GT -> Node.BinaryOperator.GT;
      case ButlerExpressionLexer.GE -> Node.BinaryOperator.GE;
      case ButlerExpressionLexer.OVERLAPS -> Node.BinaryOperator.OVERLAPS;
      case ButlerExpressionLexer.ADD -> Node.BinaryOperator.ADD;
      case ButlerExpressionLexer.SUB -> Node.BinaryOperator.SUB;
      case ButlerExpressionLexer.MUL -> Node.BinaryOperator.MUL;
      case ButlerExpressionLexer.DIV -> Node.BinaryOperator.DIV;
      default -> Node.BinaryOperator.MOD;
    };
  }

  private static Node bindName(TerminalNode token) {
    return new Node.BindName(token.getText().substring(1), ExpressionParser.pos(token.getSymbol()));
  }

  private Node literal(LiteralContext ctx) {
    Token token = ctx.getStart();
    return switch (token.getType()) {
      case ButlerExpressionLexer.NUMERIC_LITERAL -> new Node.NumericLiteral(token.getText(),
          ExpressionParser.pos(token));
      case ButlerExpressionLexer.STRING_LITERAL -> string(token);
      case ButlerExpressionLexer.TIME_LITERAL -> time(token);
      default -> range(token);
    };
  }

  private static Node string(Token token) {
    String text = token.getText();
    return new Node.StringLiteral(text.substring(1, text.length() - 1), ExpressionParser.pos(token));
  }

  private static Node time(Token token) {
    String text = token.getText().substring(2, token.getText().length() - 1);
    SourcePos at = ExpressionParser.pos(token);
    try {
      TimeLiterals.Value value = TimeLiterals.parse(text);
      return new Node.TimeLiteral(text, value.format(), value.scale(), value.taiNanos(), at);
    } catch (IllegalArgumentException e) {
      // daf_butler raises ParseError at the literal, whose message shows only the text.
      throw new ExpressionException(ExpressionException.Kind.SYNTAX,
          "Syntax error at or near '" + text + "' " + at.describe(), at, e.getMessage());
    }
  }

  static Node.RangeLiteral range(Token token) {
    SourcePos at = ExpressionParser.pos(token);
    Matcher m = RANGE.matcher(token.getText());
    if (!m.matches()) {
      throw ExpressionException.invalid("Malformed range literal '" + token.getText() + "'", at);
    }
    try {
      return new Node.RangeLiteral(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
          m.group(3) == null ? null : Long.valueOf(m.group(3)), at);
    } catch (NumberFormatException e) {
      throw ExpressionException.invalid("Range literal '" + token.getText() + "' has a bound or stride out of the"
          + " 64-bit integer range", at);
    }
  }

  private Node functionCall(FunctionCallContext ctx) {
    Token nameToken = ctx.SIMPLE_IDENTIFIER().getSymbol();
    String name = nameToken.getText();
    SourcePos at = ExpressionParser.pos(nameToken);
    List<Node> args = new ArrayList<>();
    for (ExprContext arg : ctx.expr()) {
      args.add(visit(arg));
    }
    switch (name.toUpperCase(Locale.ROOT)) {
      case "POINT" -> {
        if (args.size() != 2) {
          throw ExpressionException.invalid("POINT requires two arguments (ra, dec)", at);
        }
        return new Node.PointNode(args.get(0), args.get(1), at);
      }
      case "GLOB" -> {
        if (args.size() != 2) {
          throw ExpressionException.invalid("GLOB requires two arguments (expression, pattern)", at);
        }
        Node expression = stripParens(args.get(0));
        Node pattern = stripParens(args.get(1));
        if (!(expression instanceof Node.Identifier identifier)) {
          throw ExpressionException.invalid("glob() first argument must be an identifier", at);
        }
        if (!(pattern instanceof Node.StringLiteral || pattern instanceof Node.BindName)) {
          throw ExpressionException.invalid(
              "glob() second argument must be a string or a bind name (prefixed with colon)", at);
        }
        return new Node.GlobNode(identifier, pattern, at);
      }
      case "UUID" -> {
        if (args.size() != 1) {
          throw ExpressionException.invalid("UUID() requires a single argument (uuid-string)", at);
        }
        if (!(stripParens(args.get(0)) instanceof Node.StringLiteral text)) {
          throw ExpressionException.invalid("UUID() argument must be a string literal", at);
        }
        return new Node.UuidLiteral(uuid(text.value(), at), at);
      }
      default -> {
        return new Node.FunctionCall(name, args, at);
      }
    }
  }

  private static Node stripParens(Node node) {
    while (node instanceof Node.Parens parens) {
      node = parens.expr();
    }
    return node;
  }

  /** Python's {@code uuid.UUID(str)}: 32 hex digits, hyphens anywhere, optional braces or {@code urn:uuid:}. */
  private static UUID uuid(String text, SourcePos at) {
    String hex = text.strip();
    if (hex.toLowerCase(Locale.ROOT).startsWith("urn:uuid:")) {
      hex = hex.substring("urn:uuid:".length());
    }
    if (hex.startsWith("{") && hex.endsWith("}") && hex.length() >= 2) {
      hex = hex.substring(1, hex.length() - 1);
    }
    hex = hex.replace("-", "");
    if (!HEX32.matcher(hex).matches()) {
      throw ExpressionException.invalid("UUID() argument '" + text + "' is not a valid UUID", at);
    }
    return new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
  }
}
