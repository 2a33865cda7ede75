package io.autobutler.core.skymap;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a pex_config override file (Python syntax) without executing it: only a documented, safe subset is accepted,
 * and anything else is an error naming the line.
 *
 * <p>Accepted statements, one per line:
 * <ul>
 *   <li>{@code TARGET = VALUE}, where TARGET starts with {@code config} and continues with {@code .field} and
 *       {@code ["key"]} / {@code ['key']} steps, e.g. {@code config.skyMap["rings"].tractBuilder["cells"].cellBorder};</li>
 *   <li>{@code import a.b.c} (no effect; config dumps written by pex_config contain such lines);</li>
 *   <li>{@code assert type(config) is a.b.Class, "message"} or {@code assert type(config)==a.b.Class, "message"}
 *       (the class name is checked by the caller);</li>
 *   <li>blank lines and {@code #} comments, also after a statement.</li>
 * </ul>
 * VALUE is a literal: an integer, a float ({@code 0.2}, {@code 1e-3}), a string in single or double quotes (escapes
 * {@code \\ \' \" \n \t}), {@code True}, {@code False}, {@code None}, or a list/tuple of literals in {@code [...]} or
 * {@code (...)}; numbers may be combined with {@code + - * /}, unary minus and parentheses ({@code 1.0 / 60}) with
 * Python's rules (int op int stays int except for {@code /}). A statement whose brackets are not closed continues on
 * the next lines. Semicolons, function calls, names other than the above, and every other construct are rejected.
 */
public final class PexConfigParser {

  /** One step of an assignment target: a field ({@code .name}) or a registry key ({@code ["key"]}). */
  public record Step(String name, boolean key) {
    @Override
    public String toString() {
      return key ? "[\"" + name + "\"]" : "." + name;
    }
  }

  /** A parsed assignment. */
  public record Assignment(int line, List<Step> target, Object value) {
    public Assignment {
      target = List.copyOf(target);
    }

    /** The target as written canonically, e.g. {@code config.skyMap["rings"].numRings}. */
    public String targetText() {
      StringBuilder text = new StringBuilder("config");
      target.forEach(text::append);
      return text.toString();
    }
  }

  /** A parsed {@code assert type(config) is X} statement. */
  public record TypeAssertion(int line, String className) {
  }

  /** The statements of a file. */
  public record Parsed(String source, List<Assignment> assignments, List<TypeAssertion> typeAssertions) {
    public Parsed {
      assignments = List.copyOf(assignments);
      typeAssertions = List.copyOf(typeAssertions);
    }
  }

  private static final Pattern IMPORT = Pattern.compile("import\\s+[A-Za-z_][\\w]*(\\.[A-Za-z_]\\w*)*");
  private static final Pattern ASSERT_TYPE = Pattern.compile(
      "assert\\s+type\\(\\s*config\\s*\\)\\s*(?:is\\s+|==\\s*)([A-Za-z_]\\w*(?:\\.[A-Za-z_]\\w*)*)\\s*(?:,.*)?");

  private PexConfigParser() {
  }

  public static Parsed parse(String text, String source) {
    List<Assignment> assignments = new ArrayList<>();
    List<TypeAssertion> assertions = new ArrayList<>();
    String[] lines = text.split("\r?\n|\r", -1);
    int i = 0;
    while (i < lines.length) {
      int startLine = i + 1;
      StringBuilder statement = new StringBuilder(stripComment(lines[i], source, startLine));
      i++;
      while (openBrackets(statement.toString()) > 0) {
        if (i >= lines.length) {
          throw new SkyMapConfigException(source, startLine, "unclosed bracket at end of file");
        }
        statement.append(' ').append(stripComment(lines[i], source, i + 1));
        i++;
      }
      String stmt = statement.toString().strip();
      if (stmt.isEmpty()) {
        continue;
      }
      if (openBrackets(stmt) < 0) {
        throw new SkyMapConfigException(source, startLine, "unbalanced closing bracket");
      }
      if (lines[startLine - 1].length() > 0 && Character.isWhitespace(lines[startLine - 1].charAt(0))) {
        throw new SkyMapConfigException(source, startLine, "unexpected indentation");
      }
      if (IMPORT.matcher(stmt).matches()) {
        continue;
      }
      var assertion = ASSERT_TYPE.matcher(stmt);
      if (assertion.matches()) {
        assertions.add(new TypeAssertion(startLine, assertion.group(1)));
        continue;
      }
      assignments.add(parseAssignment(stmt, source, startLine));
    }
    return new Parsed(source, assignments, assertions);
  }

  /** Removes a trailing {@code #} comment that is outside string literals. */
  private static String stripComment(String line, String source, int lineNumber) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        if (line.startsWith(String.valueOf(c).repeat(3), i)) {
          throw new SkyMapConfigException(source, lineNumber, "triple-quoted strings are not supported");
        }
        quote = c;
      } else if (c == '#') {
        return line.substring(0, i);
      }
    }
    return line;
  }

  /** Open minus closed brackets outside strings. */
  private static int openBrackets(String text) {
    int depth = 0;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '[' || c == '(') {
        depth++;
      } else if (c == ']' || c == ')') {
        depth--;
      }
    }
    return depth;
  }

  private static Assignment parseAssignment(String stmt, String source, int line) {
    Cursor cursor = new Cursor(stmt, source, line);
    cursor.skipSpaces();
    String head = cursor.identifier();
    if (head == null || !head.equals("config")) {
      throw cursor.error("unsupported statement '" + stmt + "': only 'config... = value' assignments, 'import'"
          + " and 'assert type(config) ...' lines are allowed");
    }
    List<Step> target = new ArrayList<>();
    while (true) {
      cursor.skipSpaces();
      if (cursor.peek() == '.') {
        cursor.next();
        cursor.skipSpaces();
        String name = cursor.identifier();
        if (name == null) {
          throw cursor.error("expected a field name after '.'");
        }
        target.add(new Step(name, false));
      } else if (cursor.peek() == '[') {
        cursor.next();
        cursor.skipSpaces();
        Object key = cursor.literal();
        if (!(key instanceof String)) {
          throw cursor.error("registry keys must be strings");
        }
        cursor.skipSpaces();
        cursor.expect(']');
        target.add(new Step((String) key, true));
      } else {
        break;
      }
    }
    if (target.isEmpty()) {
      throw cursor.error("cannot assign to 'config' itself");
    }
    cursor.skipSpaces();
    if (cursor.peek() != '=' || cursor.peekAt(1) == '=') {
      throw cursor.error("expected '=' after " + new Assignment(line, target, null).targetText());
    }
    cursor.next();
    Object value = cursor.expression();
    cursor.skipSpaces();
    if (!cursor.atEnd()) {
      throw cursor.error("unexpected text after the value: '" + cursor.rest() + "'");
    }
    return new Assignment(line, target, value);
  }

  /** A character cursor over one statement, with a small recursive-descent expression parser. */
  private static final class Cursor {
    private final String text;
    private final String source;
    private final int line;
    private int pos;

    Cursor(String text, String source, int line) {
      this.text = text;
      this.source = source;
      this.line = line;
    }

    SkyMapConfigException error(String message) {
      return new SkyMapConfigException(source, line, message);
    }

    boolean atEnd() {
      return pos >= text.length();
    }

    char peek() {
      return atEnd() ? '\0' : text.charAt(pos);
    }

    char peekAt(int offset) {
      return pos + offset < text.length() ? text.charAt(pos + offset) : '\0';
    }

    char next() {
      return text.charAt(pos++);
    }

    String rest() {
      return text.substring(pos);
    }

    void skipSpaces() {
      while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
        pos++;
      }
    }

    void expect(char c) {
      if (peek() != c) {
        throw error("expected '" + c + "' at '" + rest() + "'");
      }
      pos++;
    }

    String identifier() {
      if (atEnd() || !(Character.isLetter(peek()) || peek() == '_')) {
        return null;
      }
      int start = pos;
      while (!atEnd() && (Character.isLetterOrDigit(peek()) || peek() == '_')) {
        pos++;
      }
      return text.substring(start, pos);
    }

    /** expression := term (('+'|'-') term)*. Non-numeric operands are an error. */
    Object expression() {
      Object value = term();
      while (true) {
        skipSpaces();
        char c = peek();
        if (c != '+' && c != '-') {
          return value;
        }
        next();
        value = Arithmetic.apply(c, value, term(), this);
      }
    }

    Object term() {
      Object value = unary();
      while (true) {
        skipSpaces();
        char c = peek();
        if ((c != '*' && c != '/') || peekAt(1) == c) {
          if ((c == '*' || c == '/') && peekAt(1) == c) {
            throw error("operator '" + c + c + "' is not supported");
          }
          return value;
        }
        next();
        value = Arithmetic.apply(c, value, unary(), this);
      }
    }

    Object unary() {
      skipSpaces();
      if (peek() == '-' || peek() == '+') {
        char sign = next();
        Object operand = unary();
        return sign == '-' ? Arithmetic.negate(operand, this) : Arithmetic.requireNumber(operand, this);
      }
      return primary();
    }

    Object primary() {
      skipSpaces();
      if (peek() == '(') {
        next();
        skipSpaces();
        if (peek() == ')') {
          next();
          return List.of();
        }
        Object first = expression();
        skipSpaces();
        if (peek() == ')') {
          next();
          return first;
        }
        if (first instanceof List) {
          throw error("nested lists are not supported");
        }
        List<Object> items = new ArrayList<>();
        items.add(first);
        return sequence(items, ')');
      }
      if (peek() == '[') {
        next();
        skipSpaces();
        if (peek() == ']') {
          next();
          return List.of();
        }
        List<Object> items = new ArrayList<>();
        Object first = expression();
        if (first instanceof List) {
          throw error("nested lists are not supported");
        }
        items.add(first);
        skipSpaces();
        if (peek() == ']') {
          next();
          return List.copyOf(items);
        }
        return sequence(items, ']');
      }
      return literal();
    }

    private List<Object> sequence(List<Object> items, char close) {
      while (true) {
        skipSpaces();
        if (peek() == close) {
          next();
          return List.copyOf(items);
        }
        expect(',');
        skipSpaces();
        if (peek() == close) {
          next();
          return List.copyOf(items);
        }
        Object item = expression();
        if (item instanceof List) {
          throw error("nested lists are not supported");
        }
        items.add(item);
      }
    }

    Object literal() {
      skipSpaces();
      char c = peek();
      if (c == '\'' || c == '"') {
        return string();
      }
      if (Character.isDigit(c) || (c == '.' && Character.isDigit(peekAt(1)))) {
        return number();
      }
      String word = identifier();
      if (word == null) {
        throw error(atEnd() ? "missing value" : "unsupported value at '" + rest() + "'");
      }
      switch (word) {
        case "True":
          return Boolean.TRUE;
        case "False":
          return Boolean.FALSE;
        case "None":
          return Null.NONE;
        default:
          throw error("unsupported name '" + word + "': only literals are allowed as values");
      }
    }

    private String string() {
      char quote = next();
      StringBuilder value = new StringBuilder();
      while (true) {
        if (atEnd()) {
          throw error("unterminated string");
        }
        char c = next();
        if (c == quote) {
          break;
        }
        if (c == '\\') {
          if (atEnd()) {
            throw error("unterminated string");
          }
          char e = next();
          switch (e) {
            case '\\', '\'', '"' -> value.append(e);
            case 'n' -> value.append('\n');
            case 't' -> value.append('\t');
            default -> throw error("unsupported escape '\\" + e + "'");
          }
        } else {
          value.append(c);
        }
      }
      skipSpaces();
      if (peek() == '\'' || peek() == '"') {
        throw error("implicit string concatenation is not supported");
      }
      return value.toString();
    }

    private Object number() {
      int start = pos;
      while (!atEnd() && (Character.isDigit(peek()) || peek() == '_')) {
        pos++;
      }
      boolean isFloat = false;
      if (peek() == '.') {
        isFloat = true;
        pos++;
        while (!atEnd() && Character.isDigit(peek())) {
          pos++;
        }
      }
      if (peek() == 'e' || peek() == 'E') {
        int save = pos;
        pos++;
        if (peek() == '+' || peek() == '-') {
          pos++;
        }
        if (!Character.isDigit(peek())) {
          pos = save;
        } else {
          isFloat = true;
          while (!atEnd() && Character.isDigit(peek())) {
            pos++;
          }
        }
      }
      if (!atEnd() && (Character.isLetter(peek()) || peek() == '_')) {
        throw error("malformed number '" + text.substring(start, pos + 1) + "'");
      }
      String digits = text.substring(start, pos);
      if (digits.startsWith("_") || digits.endsWith("_") || digits.contains("__")) {
        throw error("malformed number '" + digits + "'");
      }
      digits = digits.replace("_", "");
      if (isFloat) {
        return Double.parseDouble(digits);
      }
      if (digits.length() > 1 && digits.startsWith("0")) {
        throw error("leading zeros in integer literals are not permitted: '" + digits + "'");
      }
      try {
        return Long.parseLong(digits);
      } catch (NumberFormatException e) {
        throw error("integer out of range: " + digits);
      }
    }
  }

  /** Python {@code None}, distinct from Java {@code null} so that "absent" and "None" differ. */
  public enum Null {
    NONE;

    @Override
    public String toString() {
      return "None";
    }
  }

  /** Number arithmetic with Python's int/float rules. */
  private static final class Arithmetic {

    static Object requireNumber(Object value, Cursor cursor) {
      if (value instanceof Long || value instanceof Double) {
        return value;
      }
      throw cursor.error("arithmetic needs numbers, got " + describe(value));
    }

    static Object negate(Object value, Cursor cursor) {
      Object number = requireNumber(value, cursor);
      return number instanceof Long l ? (Object) Math.negateExact(l) : (Object) (-(Double) number);
    }

    static Object apply(char op, Object left, Object right, Cursor cursor) {
      requireNumber(left, cursor);
      requireNumber(right, cursor);
      if (left instanceof Long a && right instanceof Long b && op != '/') {
        try {
          return switch (op) {
            case '+' -> Math.addExact(a, b);
            case '-' -> Math.subtractExact(a, b);
            default -> Math.multiplyExact(a, b);
          };
        } catch (ArithmeticException e) {
          throw cursor.error("integer overflow");
        }
      }
      double a = ((Number) left).doubleValue();
      double b = ((Number) right).doubleValue();
      return switch (op) {
        case '+' -> a + b;
        case '-' -> a - b;
        case '*' -> a * b;
        default -> {
          if (b == 0) {
            throw cursor.error("division by zero");
          }
          yield a / b;
        }
      };
    }

    private static String describe(Object value) {
      if (value instanceof String s) {
        return "string '" + s + "'";
      }
      if (value instanceof List) {
        return "a list";
      }
      return String.valueOf(value);
    }
  }
}
