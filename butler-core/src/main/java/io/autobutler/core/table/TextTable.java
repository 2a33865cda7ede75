package io.autobutler.core.table;

import java.util.ArrayList;
import java.util.List;

/**
 * A table printed the way the butler CLI prints astropy tables ({@code Table.pprint_all}): headers centred with
 * Python's {@code str.center} rule, a line of dashes per column, values right-aligned by default or left-aligned
 * with {@code align="<"}, columns separated by one space, every line padded to the full width.
 */
public record TextTable(List<String> headers, List<List<String>> rows) {

  public TextTable {
    headers = List.copyOf(headers);
    rows = rows.stream().map(List::copyOf).toList();
    for (List<String> row : rows) {
      if (row.size() != headers.size()) {
        throw new IllegalArgumentException("row " + row + " has " + row.size() + " values for " + headers.size()
            + " columns");
      }
    }
  }

  public enum Align { LEFT, RIGHT }

  /** The table's lines, without line terminators. */
  public List<String> lines(Align align) {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(join(widths, i -> center(headers.get(i), widths[i])));
    lines.add(join(widths, i -> "-".repeat(widths[i])));
    for (List<String> row : rows) {
      lines.add(join(widths, i -> align == Align.LEFT ? padRight(row.get(i), widths[i]) : padLeft(row.get(i), widths[i])));
    }
    return lines;
  }

  /** The lines joined with newlines, each ending with one. */
  public String render(Align align) {
    StringBuilder text = new StringBuilder();
    for (String line : lines(align)) {
      text.append(line).append('\n');
    }
    return text.toString();
  }

  /** Python's {@code str.center}: an odd padding puts the extra space on the left only when the width is odd. */
  static String center(String text, int width) {
    int pad = width - text.length();
    if (pad <= 0) {
      return text;
    }
    int left = pad / 2 + (pad & width & 1);
    return " ".repeat(left) + text + " ".repeat(pad - left);
  }

  private static String padRight(String text, int width) {
    return text + " ".repeat(width - text.length());
  }

  private static String padLeft(String text, int width) {
    return " ".repeat(width - text.length()) + text;
  }

  private static String join(int[] widths, java.util.function.IntFunction<String> cell) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      if (i > 0) {
        line.append(' ');
      }
      line.append(cell.apply(i));
    }
    return line.toString();
  }
}
