package io.autobutler.core.instrument;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A datastore file template and its expansion, after daf_butler's {@code FileTemplate.format}
 * ({@code python/lsst/daf/butler/datastore/file_templates.py}, tag w.2025.20). The path it produces is relative to the
 * datastore root and has no extension; the datastore then appends the formatter's extension (e.g. {@code .fits} for
 * {@code FitsGenericFormatter}, {@code .pickle} for {@code PickleFormatter}).
 *
 * <p>Rules implemented:
 * <ul>
 *   <li>Fields are {@code {name}}, {@code {name:spec}}; {@code {{}}/{@code }}} are literal braces. Available names:
 *       the data ID keys (required and implied dimensions), {@code datasetType}, {@code component} (only when the
 *       dataset is a component), {@code run}, {@code id}, {@code skypix} (the value of the data ID's single skypix
 *       dimension, if exactly one), and {@code <dimension>.<field>} from the dimension records.</li>
 *   <li>{@code a|b|c}: the first alternative whose dimension (the part before any dot) is in the data ID; if none is,
 *       the first one.</li>
 *   <li>{@code ?} in the spec marks the field optional: if it has no value it is dropped together with the literal
 *       text before it, unless that text contains a {@code /}.</li>
 *   <li>{@code /} in the spec keeps slashes in the value; otherwise {@code /} becomes {@code _}. Spaces in string
 *       values become {@code _}.</li>
 *   <li>In the last path component {@code .} becomes {@code _} and {@code #} becomes {@code HASH}; the path is then
 *       normalised like {@code os.path.normpath} and made relative if it came out absolute.</li>
 *   <li>A {@code <dimension>.<field>} whose dimension is in the data ID but whose records were not supplied is an
 *       error, as upstream ("No metadata records attached"); a record without that field makes the field absent.</li>
 * </ul>
 * Simplifications: format specs other than the {@code ?}/{@code /} markers and conversions ({@code !r}) are not
 * supported and are rejected when the template is parsed; the upstream templates do not use them. Template
 * selection by dataset type / storage class / dimensions (the {@code templates:} lookup keys) is not implemented:
 * callers pick {@link #DEFAULT} or {@link #RAW} themselves.
 */
public final class FileTemplate {

  /** daf_butler's {@code datastore.templates.default} (configs/datastores/fileDatastore.yaml, tag w.2025.20). */
  public static final FileTemplate DEFAULT = new FileTemplate(
      "{run:/}/{datasetType}.{component:?}/{tract:?}/{patch:?}/{day_obs|visit.day_obs|exposure.day_obs:?}/{band:?}/"
          + "{subfilter:?}/{physical_filter:?}/{visit:?}/{exposure.obs_id|group:?}/{datasetType}_{component:?}_"
          + "{instrument:?}_{tract:?}_{patch:?}_{band:?}_{physical_filter:?}_{visit:?}_{exposure.obs_id|group:?}_"
          + "{detector.full_name:?}_{skymap:?}_{skypix:?}_{run}");

  /**
   * daf_butler's template for the dimension group {@code physical_filter+detector+exposure} (raw-like datasets:
   * no band or filter directory, no band in the file name).
   */
  public static final FileTemplate RAW = new FileTemplate(
      "{run:/}/{datasetType}.{component:?}/{day_obs|exposure.day_obs}/{exposure.obs_id}/{datasetType}_{component:?}_"
          + "{instrument:?}_{physical_filter}_{exposure.obs_id}_{detector.full_name}_{run}");

  private static final Pattern SKYPIX = Pattern.compile("(htm|healpix)\\d+");

  private final String template;
  private final List<Part> parts;

  public FileTemplate(String template) {
    this.template = template;
    this.parts = parse(template);
    if (parts.stream().noneMatch(p -> p.field() != null
        && (p.field().equals("run") || p.field().equals("id")))) {
      throw new IllegalArgumentException("template '" + template + "' uses neither 'run' nor 'id'");
    }
  }

  public String template() {
    return template;
  }

  /**
   * Expands the template for a dataset.
   *
   * @param datasetType dataset type name, without component
   * @param component   component name or {@code null}
   * @param run         the RUN collection
   * @param datasetId   the dataset UUID (only used by templates with {@code {id}}), may be {@code null}
   * @param dataId      data ID values: required and implied dimensions (e.g. {@code band} for a physical_filter)
   * @param records     dimension records by element name, for {@code dimension.field} fields; {@code null} means
   *                    "not expanded" (a dotted field whose dimension is present is then an error)
   * @return the path relative to the datastore root, without extension
   */
  public String format(String datasetType, String component, String run, Object datasetId,
                       Map<String, ?> dataId, Map<String, ? extends Map<String, ?>> records) {
    Map<String, Object> fields = new LinkedHashMap<>(dataId);
    String skypix = null;
    for (String key : dataId.keySet()) {
      if (SKYPIX.matcher(key).matches()) {
        skypix = skypix == null ? key : "";
      }
    }
    if (skypix != null && !skypix.isEmpty()) {
      fields.put("skypix", dataId.get(skypix));
    }
    fields.put("datasetType", datasetType);
    if (component != null) {
      fields.put("component", component);
    }
    fields.put("run", run);
    if (datasetId != null) {
      fields.put("id", datasetId);
    }

    boolean usedComponent = false;
    StringBuilder output = new StringBuilder();
    for (Part part : parts) {
      String literal = part.literal();
      String fieldName = part.field();
      if (fieldName == null) {
        output.append(literal);
        continue;
      }
      if (fieldName.contains("|")) {
        String chosen = null;
        for (String alternative : fieldName.split("\\|")) {
          String primary = alternative.contains(".") ? alternative.substring(0, alternative.indexOf('.')) : alternative;
          if (fields.containsKey(primary)) {
            chosen = alternative;
            break;
          }
        }
        fieldName = chosen != null ? chosen : fieldName.split("\\|")[0];
      }
      if (fieldName.equals("component")) {
        usedComponent = true;
      }
      String spec = part.spec();
      boolean optional = spec.contains("?");
      boolean keepSlash = spec.contains("/");

      if (fieldName.contains(".")) {
        String primary = fieldName.substring(0, fieldName.indexOf('.'));
        String secondary = fieldName.substring(fieldName.indexOf('.') + 1);
        if (fields.containsKey(primary)) {
          String recordKey = primary.equals("skypix") && skypix != null ? skypix : primary;
          Map<String, ?> record = records == null ? null : records.get(recordKey);
          if (record == null) {
            throw new IllegalStateException("No metadata records attached to dataset " + datasetType + " "
                + dataId + " when attempting to expand field " + fieldName
                + ". Either expand the DatasetRef or change the template.");
          }
          if (record.containsKey(secondary)) {
            fields.put(fieldName, record.get(secondary));
          }
        }
      }

      Object value;
      if (fields.containsKey(fieldName)) {
        value = fields.get(fieldName);
      } else if (optional) {
        value = "";
        if (!literal.contains("/")) {
          literal = "";
        }
      } else {
        throw new IllegalArgumentException("'" + fieldName + "' requested in template via '" + template
            + "' but not defined and not optional");
      }
      String text = value == null ? "None"
          : value instanceof Boolean b ? (b ? "True" : "False") : String.valueOf(value); // Python str()
      if (value instanceof String) {
        text = text.replace(" ", "_");
        if (!keepSlash) {
          text = text.replace("/", "_");
        }
      }
      output.append(literal).append(text);
    }

    String path = output.toString();
    int slash = path.lastIndexOf('/');
    String head = slash < 0 ? "" : path.substring(0, slash + 1);
    String tail = path.substring(slash + 1);
    if (!head.isEmpty() && !head.chars().allMatch(c -> c == '/')) {
      head = head.replaceAll("/+$", "");
    }
    tail = tail.replace(".", "_").replace("#", "HASH");
    String joined = head.isEmpty() ? tail : (head.endsWith("/") ? head + tail : head + "/" + tail);

    if (component != null && !usedComponent) {
      throw new IllegalArgumentException("Component '" + component + "' specified but template " + template
          + " did not use it");
    }
    String normalized = normpath(joined);
    if (normalized.startsWith("/")) {
      normalized = normalized.replaceAll("^/+", "");
      if (normalized.isEmpty()) {
        normalized = ".";
      }
    }
    return normalized;
  }

  /** Expansion for a dataset that is not a component and whose template does not use {@code {id}}. */
  public String format(String datasetType, String run, Map<String, ?> dataId,
                       Map<String, ? extends Map<String, ?>> records) {
    return format(datasetType, null, run, null, dataId, records);
  }

  /** POSIX {@code os.path.normpath}. */
  static String normpath(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    int initialSlashes = path.startsWith("//") && !path.startsWith("///") ? 2 : (path.startsWith("/") ? 1 : 0);
    Deque<String> components = new ArrayDeque<>();
    for (String component : path.split("/")) {
      if (component.isEmpty() || component.equals(".")) {
        continue;
      }
      if (component.equals("..") && (initialSlashes == 0 && components.isEmpty()
          || !components.isEmpty() && components.peekLast().equals(".."))) {
        components.addLast(component);
      } else if (component.equals("..")) {
        if (!components.isEmpty()) {
          components.removeLast();
        }
      } else {
        components.addLast(component);
      }
    }
    String joined = "/".repeat(initialSlashes) + String.join("/", components);
    return joined.isEmpty() ? "." : joined;
  }

  private record Part(String literal, String field, String spec) {
  }

  /** Python {@code string.Formatter().parse}, restricted to what file templates use. */
  private static List<Part> parse(String template) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
        literal.append('{');
        i += 2;
      } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
        literal.append('}');
        i += 2;
      } else if (c == '}') {
        throw new IllegalArgumentException("Single '}' encountered in template '" + template + "'");
      } else if (c == '{') {
        int end = template.indexOf('}', i);
        if (end < 0) {
          throw new IllegalArgumentException("expected '}' before end of template '" + template + "'");
        }
        String body = template.substring(i + 1, end);
        if (body.contains("{")) {
          throw new IllegalArgumentException("nested fields are not supported in template '" + template + "'");
        }
        if (body.contains("!")) {
          throw new IllegalArgumentException("conversions are not supported in template '" + template + "'");
        }
        int colon = body.indexOf(':');
        String field = colon < 0 ? body : body.substring(0, colon);
        String spec = colon < 0 ? "" : body.substring(colon + 1);
        if (field.isEmpty()) {
          throw new IllegalArgumentException("template '" + template + "' has an unnamed field");
        }
        if (!spec.replace("?", "").replace("/", "").isEmpty()) {
          throw new IllegalArgumentException("format spec '" + spec + "' is not supported in template '"
              + template + "'");
        }
        parts.add(new Part(literal.toString(), field, spec));
        literal.setLength(0);
        i = end + 1;
      } else {
        literal.append(c);
        i++;
      }
    }
    if (literal.length() > 0) {
      parts.add(new Part(literal.toString(), null, null));
    }
    return parts;
  }

  @Override
  public String toString() {
    return template;
  }
}
