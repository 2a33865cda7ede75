package io.autobutler.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.autobutler.core.event.EventJson;

/** The report's JSON form against its published schema, its bounded items, and its round trip through EventJson. */
class VerificationReportTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theJsonFormIsTheOneTheSchemaDescribes() throws Exception {
    JsonNode schema;
    try (InputStream in = getClass().getResourceAsStream("/schemas/verification-report.schema.json")) {
      schema = JSON.readTree(in);
    }
    VerificationReport report = new ReportBuilder("ccms1", Checks.REGISTRY_STORAGE, "run:LSSTComCam/raw/all", 2)
        .count("files", 3).item(Severity.ERROR, Map.of("kind", "missing", "uri", "file:///a"))
        .problem("1 missing").build(Instant.parse("2026-12-06T10:00:00Z"), "3 files");
    JsonNode written = JSON.readTree(EventJson.write(report));

    List<String> fields = new ArrayList<>();
    written.fieldNames().forEachRemaining(fields::add);
    List<String> properties = new ArrayList<>();
    schema.path("properties").fieldNames().forEachRemaining(properties::add);
    List<String> required = new ArrayList<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    assertThat(fields).containsExactlyElementsOf(properties).containsExactlyInAnyOrderElementsOf(required);
    assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();

    List<String> severities = new ArrayList<>();
    schema.path("properties").path("severity").path("enum").forEach(s -> severities.add(s.asText()));
    assertThat(severities).containsExactly("ok", "warning", "error", "outage");
    assertThat(List.of(Severity.values())).extracting(Severity::label).containsExactlyElementsOf(severities);
    List<String> checks = new ArrayList<>();
    schema.path("properties").path("check").path("enum").forEach(s -> checks.add(s.asText()));
    assertThat(checks).containsExactlyElementsOf(Checks.ALL);

    assertThat(written.path("severity").asText()).isEqualTo("error");
    assertThat(written.path("items_total").asLong()).isEqualTo(1);
    assertThat(written.path("generated_at").asText()).isEqualTo("2026-12-06T10:00:00Z");
    assertThat(written.path("summary").asText()).isEqualTo("1 missing (3 files)");
    assertThat(EventJson.read(EventJson.write(report), VerificationReport.class)).isEqualTo(report);
  }

  @Test
  void itemsBeyondTheBoundAreCountedNotKept() {
    ReportBuilder builder = new ReportBuilder("ccms1", Checks.DARK_DATA, "root:file:///data/", 3);
    for (int i = 0; i < 100_000; i++) {
      builder.item(Severity.WARNING, Map.of("kind", "dark", "uri", "file:///data/" + i));
    }
    VerificationReport report = builder.build(Instant.now(), null);
    assertThat(report.items()).hasSize(3);
    assertThat(report.itemsTotal()).isEqualTo(100_000);
    assertThat(report.itemsTruncated()).isTrue();
    assertThat(report.severity()).isEqualTo(Severity.WARNING);
    assertThat(report.summary()).isEqualTo("ok");

    VerificationReport outage = new ReportBuilder("ccms1", Checks.REGISTRY_STORAGE, "run:r", 3)
        .item(Severity.ERROR, Map.of("kind", "missing")).withholdItems().severity(Severity.OUTAGE)
        .problem("storage outage suspected").build(Instant.now(), null);
    assertThat(outage.items()).isEmpty();
    assertThat(outage.itemsTotal()).isZero();
    assertThat(outage.severity()).isEqualTo(Severity.OUTAGE);
    assertThat(Severity.ERROR.worst(Severity.WARNING)).isEqualTo(Severity.ERROR);
    assertThat(report.sameFinding(new VerificationReport(report.repository(), report.check(), report.subject(),
        report.severity(), report.summary(), report.counts(), report.items(), report.itemsTotal(),
        report.itemsTruncated(), Instant.EPOCH))).isTrue();
  }
}
