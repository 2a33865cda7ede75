package io.autobutler.core.ingest.files;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The table {@code butler ingest-files} reads with astropy's {@code Table.read}: ECSV ({@code # %ECSV 1.0}, a YAML
 * header with the columns' datatypes, space-delimited unless the header names a {@code delimiter}) or CSV with a
 * header row. Comment lines ({@code #}) and blank lines are skipped, values may be double-quoted ({@code ""} inside
 * quotes is a quote), and ECSV values are checked against their column's datatype. Every row keeps its line number
 * so that later problems can name it.
 */
public record IngestTable(List<String> columns, List<Row> rows) {

  /** A data row: its 1-based line in the table file and its values, one per column, as written. */
  public record Row(int line, List<String> values) {
  }

  /** The two formats astropy recognises for ingest-files' tables (FITS and the others are not supported). */
  public enum Format {
    ECSV, CSV;

    /**
     * The format of a table file as astropy identifies it: by the {@code .ecsv} or {@code .csv} extension, else by
     * the ECSV signature line. Null {@code name}: the signature alone decides.
     */
    public static Format detect(String name, String text) {
      String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
      if (lower.endsWith(".ecsv") || text.startsWith("# %ECSV")) {
        return ECSV;
      }
      if (lower.endsWith(".csv") || name == null) {
        return CSV;
      }
      throw new TableFormatException(0, "cannot tell the format of table file '" + name + "': ingest-files reads"
          + " ECSV (.ecsv, starting with '# %ECSV 1.0') and CSV with a header row (.csv)");
    }
  }

  /** A table that cannot be read; the message starts with {@code line N: } when the problem has a place. */
  public static final class TableFormatException extends RuntimeException {
    public TableFormatException(int line, String problem) {
      super(line > 0 ? "line " + line + ": " + problem : problem);
    }
  }

  private static final Pattern ECSV_SIGNATURE = Pattern.compile("#\\s*%ECSV\\s+(\\d+)\\.(\\d+)\\s*");
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

  /** Reads {@code text} as a table of {@code format}. */
  public static IngestTable parse(String text, Format format) {
    String[] lines = text.split("\r?\n", -1);
    return format == Format.ECSV ? parseEcsv(lines) : parseDelimited(lines, 0, ',', null);
  }

  /** One column of an ECSV header: its name and datatype. */
  private record EcsvColumn(String name, String datatype) {
  }

  private static IngestTable parseEcsv(String[] lines) {
    Matcher signature = ECSV_SIGNATURE.matcher(lines[0]);
    if (!signature.matches()) {
      throw new TableFormatException(1, "ECSV header line like '# %ECSV <version>' not found as first line");
    }
    if (Integer.parseInt(signature.group(1)) > 1) {
      throw new TableFormatException(1, "ECSV version " + signature.group(1) + "." + signature.group(2)
          + " is not supported (1.0 and earlier are)");
    }
    // The YAML header is every comment line after the signature, with its '# ' taken off.
    StringBuilder yaml = new StringBuilder();
    int index = 1;
    int dashes = -1;
    for (; index < lines.length && lines[index].startsWith("#"); index++) {
      String content = lines[index].startsWith("# ") ? lines[index].substring(2) : lines[index].substring(1);
      if (dashes < 0) {
        if (content.strip().equals("---")) {
          dashes = index;
        } else if (!content.isBlank()) {
          throw new TableFormatException(index + 1, "the ECSV header must start with '# ---', not '"
              + lines[index] + "'");
        }
        continue;
      }
      yaml.append(content).append('\n');
    }
    if (dashes < 0) {
      throw new TableFormatException(index + 1, "the ECSV header has no '# ---' line");
    }
    Object header;
    try {
      header = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml.toString());
    } catch (MarkedYAMLException e) {
      int line = dashes + 2 + e.getProblemMark().getLine();
      throw new TableFormatException(line, "ECSV header is not valid YAML: " + e.getProblem());
    } catch (YAMLException e) {
      throw new TableFormatException(dashes + 1, "ECSV header is not valid YAML: " + e.getMessage());
    }
    if (!(header instanceof Map<?, ?> map) || !(map.get("datatype") instanceof List<?> datatypes)) {
      throw new TableFormatException(dashes + 1, "the ECSV header has no 'datatype' list of columns");
    }
    List<EcsvColumn> declared = new ArrayList<>();
    for (Object entry : datatypes) {
      if (!(entry instanceof Map<?, ?> column) || column.get("name") == null) {
        throw new TableFormatException(dashes + 1, "ECSV datatype entry " + entry + " has no name");
      }
      Object datatype = column.get("datatype");
      declared.add(new EcsvColumn(column.get("name").toString(), datatype == null ? "string" : datatype.toString()));
    }
    Object delimiterValue = map.get("delimiter");
    String delimiter = delimiterValue == null ? " " : delimiterValue.toString();
    if (!delimiter.equals(" ") && !delimiter.equals(",")) {
      throw new TableFormatException(dashes + 1, "ECSV delimiter '" + delimiter + "' is not allowed (only ' '"
          + " and ',' are)");
    }
    return parseDelimited(lines, index, delimiter.charAt(0), declared);
  }

  /**
   * The header row and data rows from line {@code start} on; with {@code declared} (ECSV) the header row must name
   * the declared columns and each value must suit its column's datatype.
   */
  private static IngestTable parseDelimited(String[] lines, int start, char delimiter, List<EcsvColumn> declared) {
    List<String> columns = null;
    List<Row> rows = new ArrayList<>();
    for (int i = start; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      List<String> values = split(line, delimiter, i + 1);
      if (columns == null) {
        columns = values;
        checkHeaderRow(columns, declared, i + 1);
        continue;
      }
      if (values.size() != columns.size()) {
        throw new TableFormatException(i + 1, values.size() + " value(s) for " + columns.size() + " columns "
            + columns);
      }
      if (declared != null) {
        for (int c = 0; c < values.size(); c++) {
          checkDatatype(values.get(c), declared.get(c), i + 1);
        }
      }
      rows.add(new Row(i + 1, values));
    }
    if (columns == null) {
      throw new TableFormatException(0, "the table has no header row naming its columns");
    }
    return new IngestTable(columns, rows);
  }

  private static void checkHeaderRow(List<String> columns, List<EcsvColumn> declared, int line) {
    if (columns.stream().anyMatch(String::isEmpty)) {
      throw new TableFormatException(line, "the header row " + columns + " has an empty column name");
    }
    if (columns.size() < 1 || columns.stream().distinct().count() != columns.size()) {
      throw new TableFormatException(line, "the header row " + columns + " repeats a column name");
    }
    if (declared != null && !declared.stream().map(EcsvColumn::name).toList().equals(columns)) {
      throw new TableFormatException(line, "column names from ECSV header "
          + declared.stream().map(EcsvColumn::name).toList() + " do not match names from header line of CSV data "
          + columns);
    }
  }

  /** ECSV 1.0's datatypes: integers, floats and booleans must parse; strings and objects are taken as written. */
  private static void checkDatatype(String value, EcsvColumn column, int line) {
    String type = column.datatype();
    if (value.isEmpty()) {
      return; // a masked value; ingest refuses it where it needs a value
    }
    boolean ok;
    if (type.startsWith("int") || type.startsWith("uint")) {
      ok = INTEGER.matcher(value).matches();
    } else if (type.startsWith("float")) {
      ok = isFloat(value);
    } else if (type.equals("bool")) {
      ok = value.equals("True") || value.equals("False");
    } else {
      ok = true;
    }
    if (!ok) {
      throw new TableFormatException(line, "column '" + column.name() + "' is declared " + type + " but has value '"
          + value + "'");
    }
  }

  private static boolean isFloat(String value) {
    try {
      Double.parseDouble(value);
      return true;
    } catch (NumberFormatException e) {
      return value.matches("(?i)[+-]?(nan|inf|infinity)");
    }
  }

  /**
   * Python's csv splitting as astropy uses it: fields separated by {@code delimiter} (a run of spaces counts as one
   * when the delimiter is a space), double-quoted fields with {@code ""} for a quote, unquoted values stripped.
   */
  static List<String> split(String line, char delimiter, int lineNumber) {
    List<String> values = new ArrayList<>();
    boolean spaces = delimiter == ' ';
    String text = spaces ? line.strip() : line;
    int i = 0;
    int n = text.length();
    while (true) {
      StringBuilder value = new StringBuilder();
      int lead = i;
      while (!spaces && lead < n && text.charAt(lead) == ' ') {
        lead++;
      }
      if (lead < n && text.charAt(lead) == '"') {
        i = lead + 1;
        while (true) {
          if (i >= n) {
            throw new TableFormatException(lineNumber, "unterminated quoted value: " + line);
          }
          char c = text.charAt(i++);
          if (c == '"') {
            if (i < n && text.charAt(i) == '"') {
              value.append('"');
              i++;
            } else {
              break;
            }
          } else {
            value.append(c);
          }
        }
        while (!spaces && i < n && text.charAt(i) == ' ') {
          i++;
        }
        if (i < n && text.charAt(i) != delimiter) {
          throw new TableFormatException(lineNumber, "unexpected text after a quoted value: " + line);
        }
        values.add(value.toString());
      } else {
        int end = i;
        while (end < n && text.charAt(end) != delimiter) {
          end++;
        }
        values.add(text.substring(i, end).strip());
        i = end;
      }
      if (i >= n) {
        return values;
      }
      i++; // the delimiter
      while (spaces && i < n && text.charAt(i) == ' ') {
        i++;
      }
    }
  }
}
