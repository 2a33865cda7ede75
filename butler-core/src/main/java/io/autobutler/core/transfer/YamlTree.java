package io.autobutler.core.transfer;

import java.util.ArrayList;
import java.util.List;

/**
 * The node graph the writer builds before emitting, the equivalent of PyYAML's representation graph. Nodes are
 * compared by identity: a node reachable twice is written once with an anchor and then as an alias.
 */
final class YamlTree {

  static final String STR = "tag:yaml.org,2002:str";
  static final String INT = "tag:yaml.org,2002:int";
  static final String FLOAT = "tag:yaml.org,2002:float";
  static final String BOOL = "tag:yaml.org,2002:bool";
  static final String NULL = "tag:yaml.org,2002:null";
  static final String BINARY = "tag:yaml.org,2002:binary";
  static final String SEQ = "tag:yaml.org,2002:seq";
  static final String MAP = "tag:yaml.org,2002:map";

  private YamlTree() {
  }

  sealed interface Node permits Scalar, Sequence, Mapping {
    String tag();
  }

  /**
   * A scalar.
   *
   * @param style null to let the emitter choose, or {@code '|'} for a literal block (PyYAML's binary)
   */
  record Scalar(String tag, String value, Character style) implements Node {
  }

  /** A sequence; its items are added while building. */
  static final class Sequence implements Node {
    private final String tag;
    final List<Node> items = new ArrayList<>();

    Sequence(String tag) {
      this.tag = tag;
    }

    @Override
    public String tag() {
      return tag;
    }

    Sequence add(Node item) {
      items.add(item);
      return this;
    }
  }

  /** A mapping with its entries in insertion order (PyYAML's {@code sort_keys=False}). */
  static final class Mapping implements Node {
    private final String tag;
    final List<Node[]> entries = new ArrayList<>();

    Mapping(String tag) {
      this.tag = tag;
    }

    @Override
    public String tag() {
      return tag;
    }

    Mapping put(String key, Node value) {
      entries.add(new Node[] {str(key), value});
      return this;
    }
  }

  static Scalar str(String value) {
    return new Scalar(STR, value, null);
  }

  static Scalar nul() {
    return new Scalar(NULL, "null", null);
  }
}
