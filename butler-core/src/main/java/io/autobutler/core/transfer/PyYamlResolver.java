package io.autobutler.core.transfer;

import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The implicit typing of plain scalars as PyYAML's {@code Resolver} (YAML 1.1) does it, which differs from
 * SnakeYAML's in places (e.g. PyYAML reads {@code 1e5} as a string, a float needs a dot). Reading with it gives
 * the types daf_butler sees; writing with it decides, as PyYAML does, which strings must be quoted.
 */
final class PyYamlResolver extends Resolver {

  static final Pattern BOOL = Pattern.compile(
      "^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$");
  static final Pattern FLOAT = Pattern.compile("^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
      + "|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
      + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
      + "|[-+]?\\.(?:inf|Inf|INF)"
      + "|\\.(?:nan|NaN|NAN))$");
  static final Pattern INT = Pattern.compile("^(?:[-+]?0b[0-1_]+"
      + "|[-+]?0[0-7_]+"
      + "|[-+]?(?:0|[1-9][0-9_]*)"
      + "|[-+]?0x[0-9a-fA-F_]+"
      + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$");
  static final Pattern MERGE = Pattern.compile("^(?:<<)$");
  static final Pattern NULL = Pattern.compile("^(?:~|null|Null|NULL)$");
  static final Pattern EMPTY = Pattern.compile("^$");
  static final Pattern TIMESTAMP = Pattern.compile("^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
      + "|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
      + "(?:[Tt]|[ \\t]+)[0-9][0-9]?"
      + ":[0-9][0-9]:[0-9][0-9](?:\\.[0-9]*)?"
      + "(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$");
  static final Pattern VALUE = Pattern.compile("^(?:=)$");
  static final Pattern YAML = Pattern.compile("^(?:!|&|\\*)$");

  static final Tag VALUE_TAG = new Tag(Tag.PREFIX + "value");
  static final Tag YAML_TAG = new Tag(Tag.PREFIX + "yaml");

  /** One shared instance: the resolver holds no state after construction. */
  static final PyYamlResolver INSTANCE = new PyYamlResolver();

  @Override
  protected void addImplicitResolvers() {
    // PyYAML's registration order, which decides ties between patterns for the same first character.
    addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
    addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
    addImplicitResolver(Tag.INT, INT, "-+0123456789");
    addImplicitResolver(Tag.MERGE, MERGE, "<");
    addImplicitResolver(Tag.NULL, NULL, "~nN");
    addImplicitResolver(Tag.NULL, EMPTY, null);
    addImplicitResolver(Tag.TIMESTAMP, TIMESTAMP, "0123456789");
    addImplicitResolver(VALUE_TAG, VALUE, "=");
    addImplicitResolver(YAML_TAG, YAML, "!&*");
  }

  /** The tag PyYAML gives a plain scalar with this text. */
  String resolvePlain(String value) {
    return resolve(NodeId.scalar, value, true).getValue();
  }
}
