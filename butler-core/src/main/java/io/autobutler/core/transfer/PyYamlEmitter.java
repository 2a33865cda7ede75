package io.autobutler.core.transfer;

import io.autobutler.core.transfer.YamlTree.Mapping;
import io.autobutler.core.transfer.YamlTree.Node;
import io.autobutler.core.transfer.YamlTree.Scalar;
import io.autobutler.core.transfer.YamlTree.Sequence;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Writes a {@link YamlTree} as PyYAML's {@code yaml.dump(..., sort_keys=False)} does with its defaults: block
 * style, indent 2, line width 80, no unicode (non-ASCII characters are escaped in double quotes), {@code \n} line
 * breaks, anchors {@code id001}, {@code id002}... numbered in the order nodes are met a second time.
 *
 * <p>This follows the behaviour of PyYAML's serializer and emitter for the node shapes of export files: block
 * mappings and sequences (indentless inside mappings), empty collections as {@code []} and {@code {}}, tags,
 * anchors and aliases, and plain, single-quoted, double-quoted and literal scalars with PyYAML's rules for
 * choosing among them and for folding long lines.
 */
final class PyYamlEmitter {

  private static final int BEST_INDENT = 2;
  private static final int BEST_WIDTH = 80;
  private static final String DEFAULT_PREFIX = "tag:yaml.org,2002:";

  private final Writer out;
  private final PyYamlResolver resolver = PyYamlResolver.INSTANCE;
  private final Map<Node, String> anchors = new IdentityHashMap<>();
  private final Map<Node, Boolean> emitted = new IdentityHashMap<>();
  private int lastAnchorId;

  // Emitter state, as PyYAML keeps it.
  private final Deque<Integer> indents = new ArrayDeque<>();
  private Integer indent;
  private int flowLevel;
  private boolean rootContext;
  private boolean mappingContext;
  private boolean simpleKeyContext;
  private int column;
  private boolean whitespace = true;
  private boolean indention = true;
  private boolean openEnded;

  private PyYamlEmitter(Writer out) {
    this.out = out;
  }

  /** The YAML text of one document with {@code root} as its root node. */
  static String emit(Node root) {
    StringWriter text = new StringWriter();
    try {
      emit(root, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  /** Writes one document with {@code root} as its root node to {@code out}, as it goes. */
  static void emit(Node root, Writer out) throws IOException {
    PyYamlEmitter emitter = new PyYamlEmitter(out);
    emitter.assignAnchors(root);
    try {
      emitter.node(root, true, false, false);
      // Document end (implicit): finish the last line.
      emitter.writeIndent();
      if (emitter.openEnded) {
        emitter.writeIndicator("...", true, false, false);
        emitter.writeIndent();
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  // ---------------------------------------------------------------------------------------------- serializer

  /** Nodes met twice get an anchor, numbered when met the second time (PyYAML's {@code anchor_node}). */
  private void assignAnchors(Node root) {
    Map<Node, Boolean> seen = new IdentityHashMap<>();
    visit(root, seen);
  }

  private void visit(Node node, Map<Node, Boolean> seen) {
    if (seen.containsKey(node)) {
      if (!anchors.containsKey(node)) {
        lastAnchorId++;
        anchors.put(node, String.format("id%03d", lastAnchorId));
      }
      return;
    }
    seen.put(node, Boolean.TRUE);
    if (node instanceof Sequence seq) {
      for (Node item : seq.items) {
        visit(item, seen);
      }
    } else if (node instanceof Mapping map) {
      for (Node[] entry : map.entries) {
        visit(entry[0], seen);
        visit(entry[1], seen);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------- structure

  private void node(Node node, boolean root, boolean mapping, boolean simpleKey) {
    rootContext = root;
    mappingContext = mapping;
    simpleKeyContext = simpleKey;
    String anchor = anchors.get(node);
    if (emitted.containsKey(node)) {
      writeIndicator("*" + anchor, true, false, false);
      return;
    }
    emitted.put(node, Boolean.TRUE);
    if (anchor != null) {
      writeIndicator("&" + anchor, true, false, false);
    }
    if (node instanceof Scalar scalar) {
      ScalarAnalysis analysis = analyze(scalar.value());
      boolean implicitPlain = scalar.tag().equals(resolver.resolvePlain(scalar.value()));
      boolean implicitQuoted = scalar.tag().equals(YamlTree.STR);
      char style = chooseStyle(scalar, analysis, implicitPlain);
      if (!((style == 0 && implicitPlain) || (style != 0 && implicitQuoted))) {
        writeIndicator(prepareTag(scalar.tag()), true, false, false);
      }
      increaseIndent(true, false);
      boolean split = !simpleKeyContext;
      switch (style) {
        case '"' -> writeDoubleQuoted(scalar.value(), split);
        case '\'' -> writeSingleQuoted(scalar.value(), split);
        case '|' -> writeLiteral(scalar.value());
        default -> writePlain(scalar.value(), split);
      }
      popIndent();
    } else if (node instanceof Sequence seq) {
      if (!seq.tag().equals(YamlTree.SEQ)) {
        writeIndicator(prepareTag(seq.tag()), true, false, false);
      }
      if (flowLevel > 0 || seq.items.isEmpty()) {
        writeIndicator("[", true, true, false);
        flowLevel++;
        increaseIndent(true, false);
        if (!seq.items.isEmpty()) {
          throw new IllegalStateException("non-empty flow sequences are not written");
        }
        popIndent();
        flowLevel--;
        writeIndicator("]", false, false, false);
      } else {
        boolean indentless = mappingContext && !indention;
        increaseIndent(false, indentless);
        for (Node item : seq.items) {
          writeIndent();
          writeIndicator("-", true, false, true);
          node(item, false, false, false);
        }
        popIndent();
      }
    } else if (node instanceof Mapping map) {
      if (!map.tag().equals(YamlTree.MAP)) {
        writeIndicator(prepareTag(map.tag()), true, false, false);
      }
      if (flowLevel > 0 || map.entries.isEmpty()) {
        writeIndicator("{", true, true, false);
        flowLevel++;
        increaseIndent(true, false);
        if (!map.entries.isEmpty()) {
          throw new IllegalStateException("non-empty flow mappings are not written");
        }
        popIndent();
        flowLevel--;
        writeIndicator("}", false, false, false);
      } else {
        increaseIndent(false, false);
        for (Node[] entry : map.entries) {
          writeIndent();
          if (!isSimpleKey(entry[0])) {
            throw new IllegalStateException("complex mapping keys are not written");
          }
          node(entry[0], false, true, true);
          writeIndicator(":", false, false, false);
          node(entry[1], false, true, false);
        }
        popIndent();
      }
    }
  }

  private boolean isSimpleKey(Node key) {
    if (!(key instanceof Scalar scalar) || emitted.containsKey(key) || anchors.containsKey(key)) {
      return false;
    }
    ScalarAnalysis analysis = analyze(scalar.value());
    return scalar.value().codePointCount(0, scalar.value().length()) < 128 && !analysis.empty
        && !analysis.multiline;
  }

  private void increaseIndent(boolean flow, boolean indentless) {
    indents.push(indent == null ? Integer.MIN_VALUE : indent);
    if (indent == null) {
      indent = flow ? BEST_INDENT : 0;
    } else if (!indentless) {
      indent += BEST_INDENT;
    }
  }

  // ArrayDeque holds no nulls: MIN_VALUE stands for "no indent yet".
  private void popIndent() {
    int previous = indents.pop();
    indent = previous == Integer.MIN_VALUE ? null : previous;
  }

  // ---------------------------------------------------------------------------------------------- scalars

  private char chooseStyle(Scalar scalar, ScalarAnalysis analysis, boolean implicitPlain) {
    Character requested = scalar.style();
    if (requested == null && implicitPlain) {
      if (!(simpleKeyContext && (analysis.empty || analysis.multiline))
          && ((flowLevel > 0 && analysis.allowFlowPlain) || (flowLevel == 0 && analysis.allowBlockPlain))) {
        return 0;
      }
    }
    if (requested != null && (requested == '|' || requested == '>')) {
      if (flowLevel == 0 && !simpleKeyContext && analysis.allowBlock) {
        return requested;
      }
    }
    if (requested == null || requested == '\'') {
      if (analysis.allowSingleQuoted && !(simpleKeyContext && analysis.multiline)) {
        return '\'';
      }
    }
    return '"';
  }

  private record ScalarAnalysis(boolean empty, boolean multiline, boolean allowFlowPlain,
                                boolean allowBlockPlain, boolean allowSingleQuoted, boolean allowBlock) {
  }

  private static boolean isBreak(int ch) {
    return ch == '\n' || ch == 0x85 || ch == 0x2028 || ch == 0x2029;
  }

  private static boolean isBlankOrBreak(int ch) {
    return ch == 0 || ch == ' ' || ch == '\t' || ch == '\r' || isBreak(ch);
  }

  /** What styles a scalar's text allows, by PyYAML's rules (without unicode output). */
  private static ScalarAnalysis analyze(String scalar) {
    int[] text = scalar.codePoints().toArray();
    int n = text.length;
    if (n == 0) {
      return new ScalarAnalysis(true, false, false, true, true, false);
    }
    boolean blockIndicators = false;
    boolean flowIndicators = false;
    boolean lineBreaks = false;
    boolean specialCharacters = false;
    boolean leadingSpace = false;
    boolean leadingBreak = false;
    boolean trailingSpace = false;
    boolean trailingBreak = false;
    boolean breakSpace = false;
    boolean spaceBreak = false;
    if (scalar.startsWith("---") || scalar.startsWith("...")) {
      blockIndicators = true;
      flowIndicators = true;
    }
    boolean precededByWhitespace = true;
    boolean followedByWhitespace = n == 1 || isBlankOrBreak(text[1]);
    boolean previousSpace = false;
    boolean previousBreak = false;
    for (int index = 0; index < n; index++) {
      int ch = text[index];
      if (index == 0) {
        if ("#,[]{}&*!|>'\"%@`".indexOf(ch) >= 0) {
          flowIndicators = true;
          blockIndicators = true;
        }
        if (ch == '?' || ch == ':') {
          flowIndicators = true;
          if (followedByWhitespace) {
            blockIndicators = true;
          }
        }
        if (ch == '-' && followedByWhitespace) {
          flowIndicators = true;
          blockIndicators = true;
        }
      } else {
        if (",?[]{}".indexOf(ch) >= 0) {
          flowIndicators = true;
        }
        if (ch == ':') {
          flowIndicators = true;
          if (followedByWhitespace) {
            blockIndicators = true;
          }
        }
        if (ch == '#' && precededByWhitespace) {
          flowIndicators = true;
          blockIndicators = true;
        }
      }
      if (isBreak(ch)) {
        lineBreaks = true;
      }
      if (!(ch == '\n' || (0x20 <= ch && ch <= 0x7E))) {
        // Printable non-ASCII characters too are special: PyYAML's allow_unicode is off by default.
        specialCharacters = true;
      }
      if (ch == ' ') {
        if (index == 0) {
          leadingSpace = true;
        }
        if (index == n - 1) {
          trailingSpace = true;
        }
        if (previousBreak) {
          breakSpace = true;
        }
        previousSpace = true;
        previousBreak = false;
      } else if (isBreak(ch)) {
        if (index == 0) {
          leadingBreak = true;
        }
        if (index == n - 1) {
          trailingBreak = true;
        }
        if (previousSpace) {
          spaceBreak = true;
        }
        previousSpace = false;
        previousBreak = true;
      } else {
        previousSpace = false;
        previousBreak = false;
      }
      precededByWhitespace = isBlankOrBreak(ch);
      followedByWhitespace = index + 2 >= n || isBlankOrBreak(text[index + 2]);
    }
    boolean allowFlowPlain = true;
    boolean allowBlockPlain = true;
    boolean allowSingleQuoted = true;
    boolean allowBlock = true;
    if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
      allowFlowPlain = false;
      allowBlockPlain = false;
    }
    if (trailingSpace) {
      allowBlock = false;
    }
    if (breakSpace) {
      allowFlowPlain = false;
      allowBlockPlain = false;
      allowSingleQuoted = false;
    }
    if (spaceBreak || specialCharacters) {
      allowFlowPlain = false;
      allowBlockPlain = false;
      allowSingleQuoted = false;
      allowBlock = false;
    }
    if (lineBreaks) {
      allowFlowPlain = false;
      allowBlockPlain = false;
    }
    if (flowIndicators) {
      allowFlowPlain = false;
    }
    if (blockIndicators) {
      allowBlockPlain = false;
    }
    return new ScalarAnalysis(false, lineBreaks, allowFlowPlain, allowBlockPlain, allowSingleQuoted, allowBlock);
  }

  /** {@code !suffix}, {@code !!suffix} for the YAML prefix, else the verbatim {@code !<tag>}. */
  private static String prepareTag(String tag) {
    if (tag.equals("!")) {
      return tag;
    }
    String handle = null;
    String suffix = tag;
    if (tag.startsWith("!")) {
      handle = "!";
      suffix = tag.substring(1);
    }
    if (tag.startsWith(DEFAULT_PREFIX) && tag.length() > DEFAULT_PREFIX.length()) {
      handle = "!!";
      suffix = tag.substring(DEFAULT_PREFIX.length());
    }
    StringBuilder chunks = new StringBuilder();
    for (byte b : suffix.getBytes(StandardCharsets.UTF_8)) {
      char ch = (char) (b & 0xFF);
      if ((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z')
          || "-;/?:@&=+$,_.~*'()[]".indexOf(ch) >= 0 || (ch == '!' && !"!".equals(handle))) {
        chunks.append(ch);
      } else {
        chunks.append(String.format("%%%02X", b & 0xFF));
      }
    }
    return handle != null ? handle + chunks : "!<" + chunks + ">";
  }

  // ---------------------------------------------------------------------------------------------- writers

  private void write(String data) {
    try {
      out.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeIndicator(String indicator, boolean needWhitespace, boolean whitespaceAfter,
                              boolean indentionAfter) {
    String data = (whitespace || !needWhitespace) ? indicator : " " + indicator;
    whitespace = whitespaceAfter;
    indention = indention && indentionAfter;
    column += data.codePointCount(0, data.length());
    openEnded = false;
    write(data);
  }

  private void writeIndent() {
    int current = indent == null ? 0 : indent;
    if (!indention || column > current || (column == current && !whitespace)) {
      writeLineBreak(null);
    }
    if (column < current) {
      whitespace = true;
      write(" ".repeat(current - column));
      column = current;
    }
  }

  private void writeLineBreak(String data) {
    whitespace = true;
    indention = true;
    column = 0;
    write(data == null ? "\n" : data);
  }

  /** Python's {@code text[start:end]}: empty when {@code end <= start}. */
  private static String slice(int[] text, int start, int end) {
    return end <= start ? "" : new String(text, start, end - start);
  }

  private void writePlain(String value, boolean split) {
    if (rootContext) {
      openEnded = true;
    }
    if (value.isEmpty()) {
      return;
    }
    if (!whitespace) {
      column += 1;
      write(" ");
    }
    whitespace = false;
    indention = false;
    int[] text = value.codePoints().toArray();
    boolean spaces = false;
    boolean breaks = false;
    int start = 0;
    for (int end = 0; end <= text.length; end++) {
      int ch = end < text.length ? text[end] : -1;
      if (spaces) {
        if (ch != ' ') {
          if (start + 1 == end && column > BEST_WIDTH && split) {
            writeIndent();
            whitespace = false;
            indention = false;
          } else {
            column += end - start;
            write(slice(text, start, end));
          }
          start = end;
        }
      } else if (breaks) {
        if (ch == -1 || !isBreak(ch)) {
          if (text[start] == '\n') {
            writeLineBreak(null);
          }
          for (int i = start; i < end; i++) {
            writeLineBreak(text[i] == '\n' ? null : new String(Character.toChars(text[i])));
          }
          writeIndent();
          whitespace = false;
          indention = false;
          start = end;
        }
      } else {
        if (ch == -1 || ch == ' ' || isBreak(ch)) {
          column += end - start;
          write(slice(text, start, end));
          start = end;
        }
      }
      if (ch != -1) {
        spaces = ch == ' ';
        breaks = isBreak(ch);
      }
    }
  }

  private void writeSingleQuoted(String value, boolean split) {
    writeIndicator("'", true, false, false);
    int[] text = value.codePoints().toArray();
    boolean spaces = false;
    boolean breaks = false;
    int start = 0;
    for (int end = 0; end <= text.length; end++) {
      int ch = end < text.length ? text[end] : -1;
      if (spaces) {
        if (ch == -1 || ch != ' ') {
          if (start + 1 == end && column > BEST_WIDTH && split && start != 0 && end != text.length) {
            writeIndent();
          } else {
            column += end - start;
            write(slice(text, start, end));
          }
          start = end;
        }
      } else if (breaks) {
        if (ch == -1 || !isBreak(ch)) {
          if (text[start] == '\n') {
            writeLineBreak(null);
          }
          for (int i = start; i < end; i++) {
            writeLineBreak(text[i] == '\n' ? null : new String(Character.toChars(text[i])));
          }
          writeIndent();
          start = end;
        }
      } else {
        if (ch == -1 || ch == ' ' || isBreak(ch) || ch == '\'') {
          if (start < end) {
            column += end - start;
            write(slice(text, start, end));
            start = end;
          }
        }
      }
      if (ch == '\'') {
        column += 2;
        write("''");
        start = end + 1;
      }
      if (ch != -1) {
        spaces = ch == ' ';
        breaks = isBreak(ch);
      }
    }
    writeIndicator("'", false, false, false);
  }

  private static String escape(int ch) {
    return switch (ch) {
      case 0 -> "0";
      case 0x07 -> "a";
      case 0x08 -> "b";
      case 0x09 -> "t";
      case 0x0A -> "n";
      case 0x0B -> "v";
      case 0x0C -> "f";
      case 0x0D -> "r";
      case 0x1B -> "e";
      case '"' -> "\"";
      case '\\' -> "\\";
      case 0x85 -> "N";
      case 0xA0 -> "_";
      case 0x2028 -> "L";
      case 0x2029 -> "P";
      default -> null;
    };
  }

  private void writeDoubleQuoted(String value, boolean split) {
    writeIndicator("\"", true, false, false);
    int[] text = value.codePoints().toArray();
    int start = 0;
    for (int end = 0; end <= text.length; end++) {
      int ch = end < text.length ? text[end] : -1;
      if (ch == -1 || ch == '"' || ch == '\\' || ch == 0x85 || ch == 0x2028 || ch == 0x2029 || ch == 0xFEFF
          || !(0x20 <= ch && ch <= 0x7E)) {
        if (start < end) {
          column += end - start;
          write(slice(text, start, end));
          start = end;
        }
        if (ch != -1) {
          String replacement = escape(ch);
          String data;
          if (replacement != null) {
            data = "\\" + replacement;
          } else if (ch <= 0xFF) {
            data = String.format("\\x%02X", ch);
          } else if (ch <= 0xFFFF) {
            data = String.format("\\u%04X", ch);
          } else {
            data = String.format("\\U%08X", ch);
          }
          column += data.length();
          write(data);
          start = end + 1;
        }
      }
      if (end > 0 && end < text.length - 1 && (ch == ' ' || start >= end) && column + (end - start) > BEST_WIDTH
          && split) {
        String data = slice(text, start, end) + "\\";
        if (start < end) {
          start = end;
        }
        column += data.codePointCount(0, data.length());
        write(data);
        writeIndent();
        whitespace = false;
        indention = false;
        if (text[start] == ' ') {
          column += 1;
          write("\\");
        }
      }
    }
    writeIndicator("\"", false, false, false);
  }

  private void writeLiteral(String value) {
    int[] text = value.codePoints().toArray();
    StringBuilder hints = new StringBuilder();
    if (text.length > 0) {
      if (text[0] == ' ' || isBreak(text[0])) {
        hints.append(BEST_INDENT);
      }
      if (!isBreak(text[text.length - 1])) {
        hints.append('-');
      } else if (text.length == 1 || isBreak(text[text.length - 2])) {
        hints.append('+');
      }
    }
    writeIndicator("|" + hints, true, false, false);
    if (hints.length() > 0 && hints.charAt(hints.length() - 1) == '+') {
      openEnded = true;
    }
    writeLineBreak(null);
    boolean breaks = true;
    int start = 0;
    for (int end = 0; end <= text.length; end++) {
      int ch = end < text.length ? text[end] : -1;
      if (breaks) {
        if (ch == -1 || !isBreak(ch)) {
          for (int i = start; i < end; i++) {
            writeLineBreak(text[i] == '\n' ? null : new String(Character.toChars(text[i])));
          }
          if (ch != -1) {
            writeIndent();
          }
          start = end;
        }
      } else {
        if (ch == -1 || isBreak(ch)) {
          write(slice(text, start, end));
          if (ch == -1) {
            writeLineBreak(null);
          }
          start = end;
        }
      }
      if (ch != -1) {
        breaks = isBreak(ch);
      }
    }
  }
}
