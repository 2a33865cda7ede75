package io.autobutler.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.autobutler.cli.AutobutlerCommand;
import io.autobutler.cli.RealStack;
import io.autobutler.cli.stack.JdbcUrl;

/**
 * {@code bench ingest} at a small size against the run's real stack: the raws go through an ingest-service of the
 * bench's own into a new repository, the COPY floor loads the same rows, and the bench leaves nothing of its run in
 * the stack's ledger nor its copy namespace. Only that it works is checked here, never how fast.
 */
@ExtendWith(RealStack.class)
class IngestBenchCommandTest {

  private static final Pattern LAST_LINE = Pattern.compile(
      "ingest raws_per_s=(\\d+) copy_raws_per_s=(\\d+) ratio=(\\d+\\.\\d\\d)");
  private static final Pattern EXPOSURES = Pattern.compile("300 raws in (\\d+) exposures");
  private static final Pattern WARMUP = Pattern.compile("warm-up: 90 raws in (\\d+) exposures of other nights");
  private static final Pattern REPOSITORY = Pattern.compile("repository (bench_ingest_[a-z0-9]+) created");

  @Test
  void ingestsEveryRawEndToEndThenCopiesTheSameRows(RealStack.Stack stack) throws SQLException {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("AUTOBUTLER_STATE_DIR", stack.stateDir().toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = AutobutlerCommand.commandLine(env).setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true)).execute("bench", "ingest", "--raws", "300", "--warmup", "90");

    assertThat(exit).as("stdout:%n%s%nstderr:%n%s", out, err).isZero();
    List<String> lines = out.toString().lines().toList();
    Matcher last = LAST_LINE.matcher(lines.get(lines.size() - 1));
    assertThat(last.matches()).as(lines.get(lines.size() - 1)).isTrue();
    assertThat(Long.parseLong(last.group(1))).isPositive();
    assertThat(Long.parseLong(last.group(2))).isPositive();
    // the floor loads every raw row of the repository: the warm-up's 90 and the measured 300
    assertThat(out.toString()).contains("ingest: 300 raws in the registry (0 rejected)")
        .contains("390 dataset, 390 file_datastore_records");

    Matcher repository = REPOSITORY.matcher(out.toString());
    assertThat(repository.find()).isTrue();
    String repo = repository.group(1);
    Matcher exposures = EXPOSURES.matcher(out.toString());
    assertThat(exposures.find()).isTrue();
    Matcher warmup = WARMUP.matcher(out.toString());
    assertThat(warmup.find()).as(out.toString()).isTrue();
    try (Connection c = DriverManager.getConnection(
        JdbcUrl.parse(stack.recorded().getProperty("postgres.effective.url")).jdbc(), "postgres", "postgres")) {
      assertThat(count(c, "SELECT count(*) FROM " + repo + ".dataset d JOIN " + repo
          + ".file_datastore_records f ON f.dataset_id = d.id WHERE f.path LIKE 'file:%/bench-ingest/raws-300/%'"))
          .isEqualTo(300);
      assertThat(count(c, "SELECT count(*) FROM " + repo + ".exposure"))
          .isEqualTo(Long.parseLong(exposures.group(1)) + Long.parseLong(warmup.group(1)));
      assertThat(count(c, "SELECT count(*) FROM autobutler.replica WHERE scope LIKE '" + repo + "%'")).isZero();
      assertThat(count(c, "SELECT count(*) FROM pg_namespace WHERE nspname = 'bench_ingest_copy'")).isZero();
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
