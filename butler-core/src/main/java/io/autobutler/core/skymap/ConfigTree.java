package io.autobutler.core.skymap;

import io.autobutler.core.skymap.PexConfigParser.Assignment;
import io.autobutler.core.skymap.PexConfigParser.Null;
import io.autobutler.core.skymap.PexConfigParser.Step;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A minimal typed model of pex_config configs (fields, list fields, registry fields), enough to apply the
 * assignments of a skymap override file with pex_config's type rules: a float field accepts an int (converted), an int
 * field rejects floats and booleans, strings must be strings, list fields check their element type and length, a
 * registry field is selected by assigning a registered name to it or to its {@code .name}, and its entries are
 * reached with {@code ["name"]} (or {@code .active}, the entry selected at that point).
 */
final class ConfigTree {

  enum Kind { INT, FLOAT, STRING, BOOL, INT_LIST, FLOAT_LIST }

  record FieldSpec(String name, Kind kind, Object defaultValue, boolean optional, Integer length,
                   Predicate<Object> check, String checkText) {
  }

  record RegistrySpec(String name, Map<String, Schema> choices, String defaultChoice) {
  }

  /** A config class. {@code opaque} schemas accept any field with any literal (configs autobutler does not model). */
  static final class Schema {
    final String className;
    final boolean opaque;
    final Map<String, FieldSpec> fields = new LinkedHashMap<>();
    final Map<String, RegistrySpec> registries = new LinkedHashMap<>();
    /** Properties that forward to a field of a registry entry: alias → (registry, choice, field). */
    final Map<String, String[]> aliases = new LinkedHashMap<>();

    Schema(String className, boolean opaque) {
      this.className = className;
      this.opaque = opaque;
    }

    Schema field(String name, Kind kind, Object defaultValue) {
      fields.put(name, new FieldSpec(name, kind, defaultValue, false, null, null, null));
      return this;
    }

    Schema optionalField(String name, Kind kind) {
      fields.put(name, new FieldSpec(name, kind, null, true, null, null, null));
      return this;
    }

    Schema listField(String name, Kind kind, List<?> defaultValue, Integer length) {
      fields.put(name, new FieldSpec(name, kind, defaultValue, false, length, null, null));
      return this;
    }

    Schema checkedField(String name, Kind kind, Object defaultValue, Predicate<Object> check, String checkText) {
      fields.put(name, new FieldSpec(name, kind, defaultValue, false, null, check, checkText));
      return this;
    }

    Schema registry(String name, Map<String, Schema> choices, String defaultChoice) {
      registries.put(name, new RegistrySpec(name, choices, defaultChoice));
      return this;
    }

    Schema alias(String name, String registry, String choice, String field) {
      aliases.put(name, new String[] {registry, choice, field});
      return this;
    }
  }

  /** A config instance: values of fields, and for every registry its selection and one instance per choice. */
  static final class Node {
    final Schema schema;
    final Map<String, Object> values = new LinkedHashMap<>();
    final Map<String, Registry> registries = new LinkedHashMap<>();

    Node(Schema schema) {
      this.schema = schema;
      schema.fields.values().forEach(f -> values.put(f.name(), f.defaultValue()));
      schema.registries.values().forEach(r -> registries.put(r.name(), new Registry(r)));
    }

    Object get(String field) {
      if (!values.containsKey(field) && !schema.opaque) {
        throw new IllegalArgumentException("no field " + field + " in " + schema.className);
      }
      return values.get(field);
    }

    Registry registry(String name) {
      return registries.get(name);
    }
  }

  static final class Registry {
    final RegistrySpec spec;
    String selected;
    final Map<String, Node> entries = new LinkedHashMap<>();

    Registry(RegistrySpec spec) {
      this.spec = spec;
      this.selected = spec.defaultChoice();
    }

    Node entry(String choice) {
      Schema schema = spec.choices().get(choice);
      if (schema == null) {
        return null;
      }
      return entries.computeIfAbsent(choice, c -> new Node(schema));
    }

    Node active() {
      return selected == null ? null : entry(selected);
    }
  }

  private ConfigTree() {
  }

  /** Applies one assignment to the tree rooted at {@code root}. */
  static void apply(Node root, Assignment assignment, String source) {
    List<Step> steps = assignment.target();
    Node node = root;
    String path = "config";
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      boolean last = i == steps.size() - 1;
      if (step.key()) {
        throw error(source, assignment, path + " is not a registry field; cannot use " + step);
      }
      String name = step.name();
      if (node.schema.aliases.containsKey(name) && last) {
        String[] target = node.schema.aliases.get(name);
        Node aliased = node.registry(target[0]).entry(target[1]);
        setField(aliased, aliased.schema.fields.get(target[2]), assignment, source, path + "." + name);
        return;
      }
      Registry registry = node.registries.get(name);
      if (registry != null) {
        String registryPath = path + "." + name;
        if (last) {
          select(registry, assignment.value(), assignment, source, registryPath);
          return;
        }
        Step next = steps.get(i + 1);
        if (!next.key() && next.name().equals("name")) {
          if (i + 1 != steps.size() - 1) {
            throw error(source, assignment, registryPath + ".name is a string, it has no fields");
          }
          select(registry, assignment.value(), assignment, source, registryPath);
          return;
        }
        Node entry;
        if (next.key()) {
          entry = registry.entry(next.name());
          if (entry == null) {
            throw error(source, assignment, "'" + next.name() + "' is not a registered " + registryPath
                + " (known: " + String.join(", ", registry.spec.choices().keySet()) + ")");
          }
        } else if (next.name().equals("active")) {
          entry = registry.active();
          if (entry == null) {
            throw error(source, assignment, registryPath + " has no active selection");
          }
        } else {
          throw error(source, assignment, registryPath + "." + next.name()
              + " is not supported; use " + registryPath + "[\"<name>\"]." + next.name());
        }
        if (i + 1 == steps.size() - 1) {
          throw error(source, assignment, "assigning a whole config to " + registryPath + next
              + " is not supported");
        }
        node = entry;
        path = registryPath + next;
        i++;
        continue;
      }
      if (node.schema.opaque) {
        if (!last) {
          // Unknown structure inside an unmodelled config: accept nested names without checking them.
          path = path + "." + name;
          continue;
        }
        node.values.put(name, assignment.value());
        return;
      }
      FieldSpec field = node.schema.fields.get(name);
      if (field == null) {
        throw error(source, assignment, node.schema.className + " has no field '" + name + "' (at " + path + ")");
      }
      if (!last) {
        throw error(source, assignment, path + "." + name + " is a plain field; it has no sub-fields");
      }
      setField(node, field, assignment, source, path + "." + name);
      return;
    }
  }

  private static void select(Registry registry, Object value, Assignment assignment, String source, String path) {
    if (value == Null.NONE) {
      throw error(source, assignment, path + " cannot be None");
    }
    if (!(value instanceof String choice)) {
      throw error(source, assignment, path + " must be set to a registered name (a string), got " + value);
    }
    if (!registry.spec.choices().containsKey(choice)) {
      throw error(source, assignment, "'" + choice + "' is not a registered " + path + " (known: "
          + String.join(", ", registry.spec.choices().keySet()) + ")");
    }
    registry.selected = choice;
  }

  private static void setField(Node node, FieldSpec field, Assignment assignment, String source, String path) {
    Object value = assignment.value();
    if (value == Null.NONE) {
      if (!field.optional()) {
        throw error(source, assignment, path + " cannot be None");
      }
      node.values.put(field.name(), null);
      return;
    }
    Object coerced = coerce(field, value, assignment, source, path);
    if (field.check() != null && !field.check().test(coerced)) {
      throw error(source, assignment, "value " + value + " of " + path + " is not valid (" + field.checkText() + ")");
    }
    node.values.put(field.name(), coerced);
  }

  private static Object coerce(FieldSpec field, Object value, Assignment assignment, String source, String path) {
    switch (field.kind()) {
      case INT_LIST, FLOAT_LIST -> {
        if (!(value instanceof List<?> list)) {
          throw error(source, assignment, path + " must be a list, got " + describe(value));
        }
        Kind element = field.kind() == Kind.INT_LIST ? Kind.INT : Kind.FLOAT;
        List<Object> items = new ArrayList<>();
        for (Object item : list) {
          items.add(scalar(element, item, assignment, source, path + " item"));
        }
        if (field.length() != null && items.size() != field.length()) {
          throw error(source, assignment, path + " must have " + field.length() + " items, got " + items.size());
        }
        return List.copyOf(items);
      }
      default -> {
        return scalar(field.kind(), value, assignment, source, path);
      }
    }
  }

  private static Object scalar(Kind kind, Object value, Assignment assignment, String source, String path) {
    switch (kind) {
      case INT -> {
        if (value instanceof Long l) {
          return l;
        }
      }
      case FLOAT -> {
        if (value instanceof Double d) {
          return d;
        }
        if (value instanceof Long l) {
          return l.doubleValue();
        }
      }
      case STRING -> {
        if (value instanceof String s) {
          return s;
        }
      }
      case BOOL -> {
        if (value instanceof Boolean b) {
          return b;
        }
      }
      default -> throw new IllegalStateException(kind.toString());
    }
    throw error(source, assignment, path + " must be " + kind.toString().toLowerCase() + ", got "
        + describe(value));
  }

  private static String describe(Object value) {
    if (value instanceof String s) {
      return "string '" + s + "'";
    }
    if (value instanceof Double d) {
      return "float " + d;
    }
    if (value instanceof Long l) {
      return "int " + l;
    }
    if (value instanceof Boolean b) {
      return "bool " + (b ? "True" : "False");
    }
    if (value instanceof List) {
      return "list " + value;
    }
    return String.valueOf(value);
  }

  private static SkyMapConfigException error(String source, Assignment assignment, String message) {
    return new SkyMapConfigException(source, assignment.line(), message);
  }
}
