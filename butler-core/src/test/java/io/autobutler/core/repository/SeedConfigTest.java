package io.autobutler.core.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SeedConfigTest {

  /** butler-seed_ccms1.yaml exactly as RTN-103 shows it. */
  static final String RTN103_SEED = """
      datastore:
        name: "ccms1"
        root: "davs://ccdavrubinint.in2p3.fr:2880/pnfs/in2p3.fr/lsst/butler/ccms1"
      registry:
        db: postgresql://ccpglsstprod.in2p3.fr:6552/lsstprod
        namespace: ccms1
      """;

  @Test
  void readsRtn103SeedFile() {
    SeedConfig seed = SeedConfig.parse(RTN103_SEED);
    assertThat(seed.datastoreName()).isEqualTo("ccms1");
    assertThat(seed.datastoreRoot()).hasToString("davs://ccdavrubinint.in2p3.fr:2880/pnfs/in2p3.fr/lsst/butler/ccms1");
    assertThat(seed.registryDb().host()).isEqualTo("ccpglsstprod.in2p3.fr");
    assertThat(seed.registryDb().port()).isEqualTo(6552);
    assertThat(seed.registryDb().database()).isEqualTo("lsstprod");
    assertThat(seed.namespace()).isEqualTo("ccms1");
  }

  @Test
  void datastoreSectionIsOptional() {
    SeedConfig seed = SeedConfig.parse("registry:\n  db: postgresql://localhost/db\n  namespace: n1\n");
    assertThat(seed.datastoreRoot()).isNull();
    assertThat(seed.registryDb().port()).isEqualTo(5432);
  }

  @Test
  void namesEachProblem() {
    assertThatThrownBy(() -> SeedConfig.parse("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> SeedConfig.parse("- a\n- b\n")).hasMessageContaining("must be a mapping");
    assertThatThrownBy(() -> SeedConfig.parse("datastore:\n  root: file:///x\n"))
        .hasMessageContaining("no 'registry' section");
    assertThatThrownBy(() -> SeedConfig.parse(RTN103_SEED.replace("  namespace: ccms1\n", "")))
        .hasMessage("registry.namespace is missing from the seed config");
    assertThatThrownBy(() -> SeedConfig.parse(RTN103_SEED + "storageClasses: {}\n"))
        .hasMessageContaining("unknown key storageClasses").hasMessageContaining("datastore, registry");
    assertThatThrownBy(() -> SeedConfig.parse(RTN103_SEED.replace("  name:", "  nmae:")))
        .hasMessageContaining("unknown key datastore.nmae");
    assertThatThrownBy(() -> SeedConfig.parse(RTN103_SEED.replace("postgresql://", "sqlite://")))
        .hasMessageContaining("registry.db").hasMessageContaining("not a PostgreSQL URL");
    assertThatThrownBy(() -> SeedConfig.parse(RTN103_SEED.replace("davs://", "")))
        .hasMessageContaining("datastore.root").hasMessageContaining("absolute URI with a scheme");
    assertThatThrownBy(() -> SeedConfig.parse(RTN103_SEED.replace("namespace: ccms1", "namespace: CCMS-1")))
        .hasMessageContaining("registry.namespace: 'CCMS-1' is not a valid namespace");
    assertThatThrownBy(() -> SeedConfig.parse("registry: {db: [\n"))
        .hasMessageContaining("not valid YAML at line");
  }
}
