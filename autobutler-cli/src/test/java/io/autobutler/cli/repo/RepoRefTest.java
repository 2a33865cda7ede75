package io.autobutler.cli.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.autobutler.cli.CliException;

class RepoRefTest {

  @Test
  void aPlainNameIsTheRepositoryAtTheConfiguredCatalog() {
    RepoRef ref = RepoRef.parse("ccms1");
    assertThat(ref.name()).isEqualTo("ccms1");
    assertThat(ref.catalogUrl()).isEmpty();
    assertThat(ref.catalog(URI.create("http://127.0.0.1:8083"))).isEqualTo(URI.create("http://127.0.0.1:8083"));
  }

  @Test
  void aCatalogUrlGivesTheServiceAddressAndTheName() {
    RepoRef ref = RepoRef.parse("http://catalog.example.org:18083/ccms1");
    assertThat(ref.name()).isEqualTo("ccms1");
    assertThat(ref.catalogUrl()).contains(URI.create("http://catalog.example.org:18083"));

    RepoRef api = RepoRef.parse("https://catalog.example.org/api/repositories/demo/");
    assertThat(api.name()).isEqualTo("demo");
    assertThat(api.catalog(URI.create("http://127.0.0.1:8083"))).isEqualTo(URI.create("https://catalog.example.org"));
  }

  @Test
  void rtn103RepoUrlNamesTheRepositoryByItsLastSegment() {
    RepoRef ref = RepoRef.parse("davs://ccdavrubinint.in2p3.fr:2880/pnfs/in2p3.fr/lsst/butler/ccms1");
    assertThat(ref).isEqualTo(new RepoRef("ccms1", Optional.empty(),
        Optional.of("davs://ccdavrubinint.in2p3.fr:2880/pnfs/in2p3.fr/lsst/butler/ccms1")));
    RepoRef path = RepoRef.parse("/data/butler/ccms1/");
    assertThat(path.name()).isEqualTo("ccms1");
    assertThat(path.root()).contains("/data/butler/ccms1");
    assertThat(RepoRef.parse("ccms1").root()).isEmpty();
    assertThat(RepoRef.parse("http://127.0.0.1:8083/ccms1").root()).isEmpty();
  }

  @Test
  void rejectsWhatNamesNoRepository() {
    assertThatThrownBy(() -> RepoRef.parse(" ")).isInstanceOf(CliException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> RepoRef.parse("http://127.0.0.1:8083/"))
        .isInstanceOf(CliException.class).hasMessageContaining("does not end in a repository name");
    assertThatThrownBy(() -> RepoRef.parse("http://127.0.0.1:8083"))
        .isInstanceOf(CliException.class);
    assertThatThrownBy(() -> RepoRef.parse("http:///ccms1")).isInstanceOf(CliException.class);
  }
}
