package io.autobutler.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

  @Test
  void readsButlerAndJdbcForms() {
    assertThat(DatabaseUrl.parse("postgresql://ccpglsstprod.in2p3.fr:6552/lsstprod"))
        .isEqualTo(new DatabaseUrl(null, "ccpglsstprod.in2p3.fr", 6552, "lsstprod"));
    assertThat(DatabaseUrl.parse("postgresql+psycopg2://butler@db.example.org/main"))
        .isEqualTo(new DatabaseUrl("butler", "db.example.org", 5432, "main"));
    DatabaseUrl jdbc = DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:5432/autobutler");
    assertThat(jdbc.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/autobutler");
    assertThat(jdbc.display()).isEqualTo("postgresql://127.0.0.1:5432/autobutler");
  }

  @Test
  void sameDatabaseIgnoresTheUserAndLocalhostSpelling() {
    assertThat(DatabaseUrl.parse("postgresql://localhost/a").sameDatabase(DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:5432/a")))
        .isTrue();
    assertThat(DatabaseUrl.parse("postgresql://localhost/a").sameDatabase(DatabaseUrl.parse("postgresql://localhost/b")))
        .isFalse();
  }

  @Test
  void refusesPasswordsAndOtherDatabases() {
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:hunter2@h/db"))
        .hasMessageContaining("must not contain a password").hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> DatabaseUrl.parse("mysql://h/db")).hasMessageContaining("not a PostgreSQL URL");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h")).hasMessageContaining("names no database");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql:///db")).hasMessageContaining("has no host");
    assertThatThrownBy(() -> DatabaseUrl.parse(" ")).hasMessageContaining("empty");
  }
}
