package io.autobutler.core.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobutler.core.transfer.YamlTree.Mapping;
import io.autobutler.core.transfer.YamlTree.Scalar;
import io.autobutler.core.transfer.YamlTree.Sequence;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The writer's YAML layer against what PyYAML 6 gives for {@code yaml.dump({'k': value}, sort_keys=False)}. */
class PyYamlEmitterTest {

  private static String dump(String value) {
    return PyYamlEmitter.emit(new Mapping(YamlTree.MAP).put("k", YamlTree.str(value)));
  }

  @Test
  void stringsThatWouldReadAsOtherTypesAreQuoted() {
    assertThat(dump("yes")).isEqualTo("k: 'yes'\n");
    assertThat(dump("null")).isEqualTo("k: 'null'\n");
    assertThat(dump("~")).isEqualTo("k: '~'\n");
    assertThat(dump("")).isEqualTo("k: ''\n");
    assertThat(dump("1.5")).isEqualTo("k: '1.5'\n");
    assertThat(dump("012")).isEqualTo("k: '012'\n");
    assertThat(dump("2025-12-03")).isEqualTo("k: '2025-12-03'\n");
    assertThat(dump("2025-12-03T07:58:10.858")).isEqualTo("k: '2025-12-03T07:58:10.858'\n");
    assertThat(dump("=")).isEqualTo("k: '='\n");
    // PyYAML, unlike SnakeYAML, reads these as strings, so they stay plain.
    assertThat(dump("1e5")).isEqualTo("k: 1e5\n");
    assertThat(dump("09")).isEqualTo("k: 09\n");
  }

  @Test
  void indicatorsAndWhitespace() {
    assertThat(dump("a: b")).isEqualTo("k: 'a: b'\n");
    assertThat(dump("a #b")).isEqualTo("k: 'a #b'\n");
    assertThat(dump("it's")).isEqualTo("k: it's\n");
    assertThat(dump(" lead")).isEqualTo("k: ' lead'\n");
    assertThat(dump("-")).isEqualTo("k: '-'\n");
    assertThat(dump("- a")).isEqualTo("k: '- a'\n");
    assertThat(dump("line1\nline2")).isEqualTo("k: 'line1\n\n  line2'\n");
    assertThat(dump("tab\there")).isEqualTo("k: \"tab\\there\"\n");
  }

  @Test
  void nonAsciiIsEscapedInDoubleQuotes() {
    assertThat(dump("é")).isEqualTo("k: \"\\xE9\"\n");
    assertThat(dump("\uD83D\uDE00")).isEqualTo("k: \"\\U0001F600\"\n");
    assertThat(dump("é ".repeat(50))).isEqualTo("k: \"" + "\\xE9 ".repeat(15) + "\\xE9\\\n  \\ "
        + "\\xE9 ".repeat(15) + "\\xE9\\\n  \\ " + "\\xE9 ".repeat(15) + "\\xE9\\\n  \\ \\xE9 \\xE9 \"\n");
  }

  @Test
  void longLinesFoldAtSpacesPastColumn80() {
    assertThat(dump("word ".repeat(20))).isEqualTo("k: '" + "word ".repeat(15) + "word\n  word word word word '\n");
    assertThat(dump("quote's ".repeat(15))).isEqualTo("k: '" + "quote''s ".repeat(8) + "quote''s\n  "
        + "quote''s ".repeat(6) + "'\n");
    String plain = "word ".repeat(19) + "word";
    assertThat(dump(plain)).isEqualTo("k: " + "word ".repeat(15) + "word\n  word word word word\n");
    // No space, no fold.
    assertThat(dump("x".repeat(200))).isEqualTo("k: " + "x".repeat(200) + "\n");
  }

  @Test
  void nestedAndEmptyCollections() {
    Mapping root = new Mapping(YamlTree.MAP)
        .put("a", new Sequence(YamlTree.SEQ)
            .add(new Sequence(YamlTree.SEQ).add(new Scalar(YamlTree.INT, "1", null))
                .add(new Scalar(YamlTree.INT, "2", null)))
            .add(new Sequence(YamlTree.SEQ))
            .add(new Mapping(YamlTree.MAP)))
        .put("b", new Mapping(YamlTree.MAP).put("c", new Sequence(YamlTree.SEQ)
            .add(new Scalar(YamlTree.INT, "3", null))));
    assertThat(PyYamlEmitter.emit(root)).isEqualTo("a:\n- - 1\n  - 2\n- []\n- {}\nb:\n  c:\n  - 3\n");
  }

  @Test
  void binaryIsALiteralBlock() {
    Mapping root = new Mapping(YamlTree.MAP)
        .put("hash", new Scalar(YamlTree.BINARY, "Kt7swQ9e5zUif7fo1Onj3ezH+Ts=\n", '|'))
        .put("next", YamlTree.str("x"));
    assertThat(PyYamlEmitter.emit(root)).isEqualTo("hash: !!binary |\n  Kt7swQ9e5zUif7fo1Onj3ezH+Ts=\nnext: x\n");
  }

  @ParameterizedTest
  @CsvSource({
      "30.0, 30.0", "1e16, 1.0e+16", "1e15, 1000000000000000.0", "1.5e16, 1.5e+16", "1e-5, 1.0e-05",
      "1e-4, 0.0001", "0.1, 0.1", "0.6666666666666666, 0.6666666666666666", "-0.0, -0.0", "4.9e-324, 5.0e-324",
      "1.7976931348623157e308, 1.7976931348623157e+308", "1.2345678901234568e17, 1.2345678901234568e+17",
      "1e23, 1.0e+23", "2.5e-7, 2.5e-07", "100.0, 100.0", "1234567.0, 1234567.0",
      "104.55395819494994, 104.55395819494994", "-42.69572623114717, -42.69572623114717",
      "Infinity, .inf", "-Infinity, -.inf", "NaN, .nan"})
  void floatsAsPythonReprsThem(double value, String expected) {
    assertThat(PythonFloats.yaml(value)).isEqualTo(expected);
  }
}
