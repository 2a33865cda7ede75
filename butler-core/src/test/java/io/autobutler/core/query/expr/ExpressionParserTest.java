package io.autobutler.core.query.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The lexer, the grammar with its precedence, the tree and daf_butler's syntax error messages. */
class ExpressionParserTest {

  private static String sexpr(String expression) {
    return ExpressionParser.toSExpression(ExpressionParser.parse(expression).orElseThrow());
  }

  private static ExpressionException error(String expression) {
    try {
      ExpressionParser.parse(expression);
    } catch (ExpressionException e) {
      return e;
    }
    throw new AssertionError("no error for " + expression);
  }

  // ------------------------------------------------------------------------------------------ queries.rst examples

  @Test
  void parsesTheDocumentedExamples() {
    assertThat(sexpr("visit > 100 AND visit < 200")).isEqualTo("(AND (> visit 100) (< visit 200))");
    assertThat(sexpr("visit IN (100..200) AND tract = 500")).isEqualTo("(AND (IN visit [100..200]) (= tract 500))");
    assertThat(sexpr("visit IN (100..200) AND visit NOT IN (159, 191) AND band = 'i'"))
        .isEqualTo("(AND (AND (IN visit [100..200]) (NOT-IN visit [159 191])) (= band 'i'))");
    assertThat(sexpr("(visit = 100 OR visit = 101) AND exposure % 2 = 1"))
        .isEqualTo("(AND (OR (= visit 100) (= visit 101)) (= (% exposure 2) 1))");
    assertThat(sexpr("visit.timespan.begin > T'2020-03-30 12:20:33'"))
        .isEqualTo("(> visit.timespan.begin T'2020-03-30 12:20:33')");
    assertThat(sexpr("exposure.timespan.begin > T'58938.515'"))
        .isEqualTo("(> exposure.timespan.begin T'58938.515')");
    assertThat(sexpr("visit.timespan.end < T'mjd/58938.515/tai'"))
        .isEqualTo("(< visit.timespan.end T'mjd/58938.515/tai')");
    assertThat(sexpr("ingest_date < T'2020-11-06 21:10:00'")).isEqualTo("(< ingest_date T'2020-11-06 21:10:00')");
    assertThat(sexpr("flat.dataset_id = UUID('e15ab039-bc8b-4135-87c5-90902a7c0b22')"))
        .isEqualTo("(= flat.dataset_id UUID('e15ab039-bc8b-4135-87c5-90902a7c0b22'))");
    assertThat(sexpr("visit.region OVERLAPS POINT(53.6, -32.7)"))
        .isEqualTo("(OVERLAPS visit.region (POINT 53.6 -32.7))");
    assertThat(sexpr("exposure.observation_type='science'")).isEqualTo("(= exposure.observation_type 'science')");
  }

  @Test
  void buildsTypedNodesWithPositions() {
    Node tree = ExpressionParser.parse("visit.timespan.end < T'mjd/58938.515/tai'").orElseThrow();
    assertThat(tree).isInstanceOf(Node.BinaryOp.class);
    Node.BinaryOp op = (Node.BinaryOp) tree;
    assertThat(op.op()).isEqualTo(Node.BinaryOperator.LT);
    assertThat(op.pos()).isEqualTo(new SourcePos(19, 1, 19));
    assertThat(op.lhs()).isEqualTo(new Node.Identifier("visit.timespan.end", new SourcePos(0, 1, 0)));
    Node.TimeLiteral time = (Node.TimeLiteral) op.rhs();
    assertThat(time.text()).isEqualTo("mjd/58938.515/tai");
    assertThat(time.format()).isEqualTo("mjd");
    assertThat(time.scale()).isEqualTo("tai");
    assertThat(time.taiNanos()).isEqualTo(1_585_570_896_000_000_000L);
    assertThat(time.pos()).isEqualTo(new SourcePos(21, 1, 21));

    Node.BinaryOp eq = (Node.BinaryOp) ExpressionParser
        .parse("flat.dataset_id = UUID('e15ab039-bc8b-4135-87c5-90902a7c0b22')").orElseThrow();
    assertThat(eq.rhs()).isEqualTo(new Node.UuidLiteral(UUID.fromString("e15ab039-bc8b-4135-87c5-90902a7c0b22"),
        new SourcePos(18, 1, 18)));

    Node.IsIn in = (Node.IsIn) ExpressionParser.parse("detector NOT IN (0..8:2, 10, :more)").orElseThrow();
    assertThat(in.notIn()).isTrue();
    assertThat(in.pos().offset()).isEqualTo(9);
    assertThat(in.values()).containsExactly(new Node.RangeLiteral(0, 8, 2L, new SourcePos(17, 1, 17)),
        new Node.NumericLiteral("10", new SourcePos(25, 1, 25)), new Node.BindName("more", new SourcePos(29, 1, 29)));
  }

  @Test
  void toStringRendersTheExpression() {
    assertThat(ExpressionParser.parse("(visit = 100 OR visit = 101) AND exposure % 2 = 1").orElseThrow())
        .hasToString("(visit = 100 OR visit = 101) AND exposure % 2 = 1");
    assertThat(ExpressionParser.parse("x NOT IN (1..5:2, 'a', :b)").orElseThrow())
        .hasToString("x NOT IN (1..5:2, 'a', :b)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", " \n\t "})
  void emptyInputMeansNoConstraint(String expression) {
    assertThat(ExpressionParser.parse(expression)).isEmpty();
    assertThat(ExpressionParser.parse(null)).isEmpty();
  }

  // --------------------------------------------------------------------------------------------------- precedence

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "a OR b AND c              | (OR a (AND b c))",
      "a AND b OR c              | (OR (AND a b) c)",
      "a OR b OR c               | (OR (OR a b) c)",
      "NOT a = 1 AND b = 2       | (AND (NOT (= a 1)) (= b 2))",
      "NOT a OR b                | (OR (NOT a) b)",
      "NOT NOT a                 | (NOT (NOT a))",
      "a = 1 AND NOT b           | (AND (= a 1) (NOT b))",
      "a + b * c = d             | (= (+ a (* b c)) d)",
      "a * b + c                 | (+ (* a b) c)",
      "a - b - c                 | (- (- a b) c)",
      "a / b * c % d             | (% (* (/ a b) c) d)",
      "-a * b                    | (* (- a) b)",
      "- 5 = x                   | (= -5 x)",
      "-(5) = x                  | (= (- 5) x)",
      "+x = +1.5                 | (= (+ x) +1.5)",
      "a = b < c                 | (< (= a b) c)",
      "a < b = c                 | (= (< a b) c)",
      "a OVERLAPS b = c          | (= (OVERLAPS a b) c)",
      "x + 1 IN (1, 2)           | (IN (+ x 1) [1 2])",
      "x + 1 NOT IN (1)          | (NOT-IN (+ x 1) [1])",
      "NOT x IN (1) OR y         | (OR (NOT (IN x [1])) y)",
      "a = 1 OR b = 2 AND c = 3  | (OR (= a 1) (AND (= b 2) (= c 3)))",
      "(a OR b) AND c            | (AND (OR a b) c)",
      "((a))                     | a",
  })
  void followsDafButlerPrecedence(String expression, String expected) {
    assertThat(sexpr(expression)).isEqualTo(expected);
  }

  // ------------------------------------------------------------------------------------------------------ lexer

  @Test
  void keywordsAndTimePrefixAreCaseInsensitive() {
    assertThat(sexpr("a and b Or not c")).isEqualTo("(OR (AND a b) (NOT c))");
    assertThat(sexpr("x not in (1) aNd y In (2)")).isEqualTo("(AND (NOT-IN x [1]) (IN y [2]))");
    assertThat(sexpr("a overlaps b")).isEqualTo("(OVERLAPS a b)");
    assertThat(sexpr("t > t'2020-01-01'")).isEqualTo("(> t T'2020-01-01')");
    // Identifiers that merely start with a keyword stay identifiers.
    assertThat(sexpr("inx = notes")).isEqualTo("(= inx notes)");
    assertThat(sexpr("in.x = 1")).isEqualTo("(= in.x 1)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "1.", "1.5", "1e10", "1E10", "1.1e-10", ".5", ".5e+3", "007"})
  void numericLiteralsAreKeptAsText(String number) {
    Node.BinaryOp op = (Node.BinaryOp) ExpressionParser.parse("x = " + number).orElseThrow();
    assertThat(op.rhs()).isEqualTo(new Node.NumericLiteral(number, new SourcePos(4, 1, 4)));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "1..5          | 1 | 5  |",
      "1 .. 5 : 2    | 1 | 5  | 2",
      "-5..-1        | -5 | -1 |",
      "0..8:2        | 0 | 8  | 2",
      "10..20:15     | 10 | 20 | 15",
  })
  void rangeLiteralsAreInclusiveWithOptionalStride(String range, long start, long stop, Long stride) {
    Node.IsIn in = (Node.IsIn) ExpressionParser.parse("x IN (" + range + ")").orElseThrow();
    Node.RangeLiteral literal = (Node.RangeLiteral) in.values().get(0);
    assertThat(literal.start()).isEqualTo(start);
    assertThat(literal.stop()).isEqualTo(stop);
    assertThat(literal.stride()).isEqualTo(stride);
  }

  @Test
  void listItemsAreLiteralsSimpleIdentifiersBindsAndCalls() {
    assertThat(sexpr("x IN (-1, +2, 'a', :b, c, UUID('e15ab039bc8b413587c590902a7c0b22'), 1..5:2, T'58938.5')"))
        .isEqualTo("(IN x [-1 +2 'a' :b c UUID('e15ab039-bc8b-4135-87c5-90902a7c0b22') 1..5:2 T'58938.5'])");
  }

  @Test
  void stringsHaveNoEscapes() {
    // 'it''s' is two adjacent strings, not a string with a quote in it.
    assertThat(error("a = 'it''s'")).hasMessage("Syntax error at or near 's' (line: 1, pos: 9)");
    Node.BinaryOp op = (Node.BinaryOp) ExpressionParser.parse("a = 'x\\' ").orElseThrow();
    assertThat(op.rhs()).isEqualTo(new Node.StringLiteral("x\\", new SourcePos(4, 1, 4)));
  }

  @Test
  void parsesTuplesBindsAndFunctionCalls() {
    assertThat(sexpr("exposure.timespan OVERLAPS (T'2020-01-01', T'2020-01-02')"))
        .isEqualTo("(OVERLAPS exposure.timespan (tuple T'2020-01-01' T'2020-01-02'))");
    assertThat(sexpr("observation_type = :t")).isEqualTo("(= observation_type :t)");
    assertThat(sexpr("foo(1, a + 2) = bar()")).isEqualTo("(= (call foo 1 (+ a 2)) (call bar))");
    assertThat(sexpr("glob(instrument, 'LSST*')")).isEqualTo("(GLOB instrument 'LSST*')");
    assertThat(sexpr("GLOB((instrument), :pattern)")).isEqualTo("(GLOB instrument :pattern)");
    assertThat(sexpr("point(1, 2) = x")).isEqualTo("(= (POINT 1 2) x)");
  }

  @Test
  void countsLinesAndColumns() {
    Node.BinaryOp and = (Node.BinaryOp) ExpressionParser.parse("visit = 1\n  AND band = 'r'").orElseThrow();
    assertThat(and.pos()).isEqualTo(new SourcePos(12, 2, 2));
    assertThat(((Node.BinaryOp) and.rhs()).lhs().pos()).isEqualTo(new SourcePos(16, 2, 6));
  }

  // ------------------------------------------------------------------------------------------------------ errors

  @Test
  void reportsSyntaxErrorsAtTheOffendingToken() {
    ExpressionException e = error("visit = = 1");
    assertThat(e.kind()).isEqualTo(ExpressionException.Kind.SYNTAX);
    assertThat(e).hasMessage("Syntax error at or near '=' (line: 1, pos: 9)");
    assertThat(e.position()).isEqualTo(8);
    assertThat(e.line()).isEqualTo(1);
    assertThat(e.column()).isEqualTo(8);

    e = error("visit = 1 AND\n  band == 'r'");
    assertThat(e).hasMessage("Syntax error at or near '=' (line: 2, pos: 9)");
    assertThat(e.position()).isEqualTo(22);
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(8);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      // token values are shown as daf_butler's lexer holds them
      "visit 'abc'          | Syntax error at or near 'abc' (line: 1, pos: 7)",
      "and visit            | Syntax error at or near 'AND' (line: 1, pos: 1)",
      "visit 1..5           | Syntax error at or near '(1, 5, None)' (line: 1, pos: 7)",
      "visit 1..5:2         | Syntax error at or near '(1, 5, 2)' (line: 1, pos: 7)",
      "visit :x             | Syntax error at or near 'x' (line: 1, pos: 7)",
      "visit T'2020-01-01'  | Syntax error at or near '2020-01-01' (line: 1, pos: 7)",
      "x IN 5               | Syntax error at or near '5' (line: 1, pos: 6)",
      "x IN ()              | Syntax error at or near ')' (line: 1, pos: 7)",
      "x IN (b.c)           | Syntax error at or near 'b.c' (line: 1, pos: 7)",
      "x IN (a + 1)         | Syntax error at or near '+' (line: 1, pos: 9)",
      "(a, b, c)            | Syntax error at or near ',' (line: 1, pos: 6)",
      "a = 1)               | Syntax error at or near ')' (line: 1, pos: 6)",
      "x IN (1) IN (2)      | Syntax error at or near 'IN' (line: 1, pos: 10)",
      "a b                  | Syntax error at or near 'b' (line: 1, pos: 3)",
  })
  void syntaxErrorMessagesMatchDafButler(String expression, String message) {
    ExpressionException e = error(expression);
    assertThat(e.kind()).isEqualTo(ExpressionException.Kind.SYNTAX);
    assertThat(e).hasMessage(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"visit >", "visit > 1 AND", "(a = 1", "x IN (1,", "NOT", "f(1,"})
  void reportsEndOfInput(String expression) {
    ExpressionException e = error(expression);
    assertThat(e.kind()).isEqualTo(ExpressionException.Kind.END_OF_INPUT);
    assertThat(e).hasMessage("End of input reached while expecting further input");
    assertThat(e.position()).isEqualTo(expression.length());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "visit $ 1           | 6",
      "a = 'abc            | 4",
      "a.b.c.d = 1         | 5",
      "a = \"x\"           | 4",
      "a = 1..             | 6",
      "x IN (1..5:0)       | 10",
      "a = b;              | 5",
  })
  void reportsUnexpectedCharacters(String expression, int position) {
    ExpressionException e = error(expression);
    assertThat(e.kind()).isEqualTo(ExpressionException.Kind.UNEXPECTED_CHARACTER);
    assertThat(e).hasMessage("Unexpected character at position " + position);
    assertThat(e.position()).isEqualTo(position);
  }

  @Test
  void unexpectedCharacterPositionCountsFromTheStartOfTheExpression() {
    ExpressionException e = error("a = 1\nAND b = 'x\nAND c = 2");
    assertThat(e).hasMessage("Unexpected character at position 14");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(8);
    assertThat(error("a = 1\r").position()).isEqualTo(5);
  }

  @Test
  void quoteDoublingIsNotAnEscapeSoInjectionAttemptsAreSyntaxErrors() {
    ExpressionException e = error("exposure.observation_type = 'x'' OR 1=1 --'");
    assertThat(e.kind()).isEqualTo(ExpressionException.Kind.SYNTAX);
    assertThat(e).hasMessage("Syntax error at or near ' OR 1=1 --' (line: 1, pos: 32)");
    assertThat(error("a = 'x'; DROP TABLE dataset").kind())
        .isEqualTo(ExpressionException.Kind.UNEXPECTED_CHARACTER);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "ingest_date > T'2020-13-45'              | 2020-13-45 | 15 | does not match format \"iso\"",
      "ingest_date > T'yesterday'               | yesterday  | 15 | does not match known formats",
      "ingest_date > T'2020-01-01T00:00+01:00'  | 2020-01-01T00:00+01:00 | 15 | does not match known formats",
      "ingest_date > T'foo/58938.5'             | foo/58938.5 | 15 | unknown time format \"foo\"",
      "ingest_date > T'58938.5/xyz'             | 58938.5/xyz | 15 | unknown time scale \"xyz\"",
      "ingest_date > T'58938'                   | 58938      | 15 | does not match known formats",
  })
  void badTimeLiteralsAreSyntaxErrorsAtTheLiteral(String expression, String text, int pos, String reason) {
    ExpressionException e = error(expression);
    assertThat(e.kind()).isEqualTo(ExpressionException.Kind.SYNTAX);
    assertThat(e).hasMessage("Syntax error at or near '" + text + "' (line: 1, pos: " + pos + ")");
    assertThat(e.position()).isEqualTo(pos - 1);
    assertThat(e.detail()).hasValueSatisfying(detail -> assertThat(detail).contains(reason));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "x = POINT(1)                    | POINT requires two arguments (ra, dec) (line: 1, pos: 5)",
      "GLOB(a) = 1                     | GLOB requires two arguments (expression, pattern) (line: 1, pos: 1)",
      "GLOB('a', 'b')                  | glob() first argument must be an identifier (line: 1, pos: 1)",
      "GLOB(a, 1)                      | glob() second argument must be a string or a bind name"
          + " (prefixed with colon) (line: 1, pos: 1)",
      "d = UUID()                      | UUID() requires a single argument (uuid-string) (line: 1, pos: 5)",
      "d = UUID(1)                     | UUID() argument must be a string literal (line: 1, pos: 5)",
      "d = UUID('e15ab039-bc8b')       | UUID() argument 'e15ab039-bc8b' is not a valid UUID (line: 1, pos: 5)",
  })
  void checksFunctionArgumentsWhileBuildingTheTree(String expression, String message) {
    ExpressionException e = error(expression);
    assertThat(e.kind()).isEqualTo(ExpressionException.Kind.INVALID);
    assertThat(e).hasMessage(message);
  }

  @Test
  void deepNestingIsAnExpressionErrorNotACrash() {
    String ok = "(".repeat(ExpressionParser.MAX_DEPTH) + "a" + ")".repeat(ExpressionParser.MAX_DEPTH);
    assertThat(sexpr(ok)).isEqualTo("a");
    assertThat(sexpr("NOT ".repeat(ExpressionParser.MAX_DEPTH) + "a")).startsWith("(NOT (NOT");
    String deep = "(".repeat(100_000) + "a" + ")".repeat(100_000);
    ExpressionException e = error(deep);
    assertThat(e.kind()).isEqualTo(ExpressionException.Kind.INVALID);
    assertThat(e.getMessage()).startsWith("Expression is nested too deeply");
    assertThat(e.position()).isEqualTo(ExpressionParser.MAX_DEPTH);
    assertThat(error("NOT ".repeat(100_000) + "a").position()).isEqualTo(4 * ExpressionParser.MAX_DEPTH);
    assertThat(error("x = " + "- ".repeat(100_000) + "1").kind()).isEqualTo(ExpressionException.Kind.INVALID);
    // Parentheses that close again do not add up.
    assertThat(ExpressionParser.parse("(a = 1) AND ".repeat(400) + "(a = 1)")).isPresent();
  }

  @Test
  void longChainsParseIntoLeftDeepTrees() {
    String many = "detector = 1" + " OR detector = 1".repeat(499);
    Node tree = ExpressionParser.parse(many).orElseThrow();
    assertThat(tree.toString()).isEqualTo(many);
    assertThat(ExpressionParser.toSExpression(tree)).startsWith("(OR (OR (OR");
  }

  @Test
  void limitsTheNumberOfOperators() {
    String tooMany = "detector = 1" + " OR detector = 1".repeat(ExpressionParser.MAX_OPERATORS / 2);
    ExpressionException e = error(tooMany);
    assertThat(e.kind()).isEqualTo(ExpressionException.Kind.INVALID);
    assertThat(e.getMessage()).startsWith("Expression has too many operators (more than 1000)");
    // An IN list is one operator however long it is.
    String list = "exposure IN (" + "2024110800001, ".repeat(20_000) + "2024110800002)";
    assertThat(ExpressionParser.parse(list)).isPresent();
  }
}
