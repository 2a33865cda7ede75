package io.autobutler.core.query.expr;

import io.autobutler.core.time.LeapSeconds;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.autobutler.core.dimensions.DimensionUniverse;

/** Translation to SQL text and parameters, identifier resolution, joins and the errors of each kind. */
class SqlTranslatorTest {

  /** raw: required instrument, detector, exposure; implied band, day_obs, group, physical_filter. */
  private static final QueryContext RAW = QueryContext.forDatasetType("raw",
      List.of("instrument", "detector", "exposure"), "d");
  /** calexp: required instrument, detector, visit; implied band, day_obs, physical_filter. */
  private static final QueryContext CALEXP = QueryContext.forDatasetType("calexp",
      List.of("instrument", "visit", "detector"), "d");

  private static final long S = 1_000_000_000L;

  private static SqlPredicate raw(String expression) {
    return SqlTranslator.translate(expression, RAW);
  }

  private static ExpressionException error(String expression, QueryContext context) {
    try {
      SqlTranslator.translate(expression, context);
    } catch (ExpressionException e) {
      return e;
    }
    throw new AssertionError("no error for " + expression);
  }

  private static ExpressionException error(String expression, QueryContext context, boolean widen) {
    try {
      QueryContext widened = widen ? widened(context, expression) : context;
      SqlTranslator.translate(expression, widened);
    } catch (ExpressionException e) {
      return e;
    }
    throw new AssertionError("no error for " + expression);
  }

  private static void assertSql(SqlPredicate predicate, String sql, Object... parameters) {
    assertThat(predicate.sql()).isEqualTo(sql);
    assertThat(predicate.parameters()).containsExactly(parameters);
  }

  // --------------------------------------------------------------------------------------- dimensions and joins

  @Test
  void elementFieldJoinsTheElementTable() {
    SqlPredicate p = raw("exposure.observation_type='science'");
    assertSql(p, "exposure.observation_type = ?", "science");
    assertThat(p.elementsToJoin()).containsExactly("exposure");
    assertThat(RAW.joinClauses(p.elementsToJoin()))
        .isEqualTo("JOIN exposure ON exposure.instrument = d.instrument AND exposure.id = d.exposure");
  }

  @Test
  void requiredDimensionsComeFromTheDatasetTable() {
    SqlPredicate p = raw("instrument = 'LSSTComCam' AND detector = 4 AND exposure IN (2024110800001, 2024110800002)");
    assertSql(p, "d.instrument = ? AND d.detector = ? AND d.exposure IN (?, ?)", "LSSTComCam", 4L,
        2024110800001L, 2024110800002L);
    assertThat(p.elementsToJoin()).isEmpty();
    assertThat(RAW.joinClauses(p.elementsToJoin())).isEmpty();
  }

  @Test
  void impliedDimensionsComeFromTheImplyingElements() {
    SqlPredicate band = raw("band = 'r'");
    assertSql(band, "physical_filter.band = ?", "r");
    assertThat(band.elementsToJoin()).containsExactly("exposure", "physical_filter");
    assertThat(RAW.joinClauses(band.elementsToJoin())).isEqualTo(
        "JOIN exposure ON exposure.instrument = d.instrument AND exposure.id = d.exposure"
            + " JOIN physical_filter ON physical_filter.instrument = d.instrument"
            + " AND physical_filter.name = exposure.physical_filter");
    assertSql(raw("physical_filter = 'r_03'"), "exposure.physical_filter = ?", "r_03");
    assertSql(raw("day_obs = 20241108"), "exposure.day_obs = ?", 20241108L);
    assertSql(raw("group = '2024-11-09T01:00:00.000'"), "exposure.\"group\" = ?", "2024-11-09T01:00:00.000");
    assertThat(raw("day_obs = 20241108").elementsToJoin()).containsExactly("exposure");
    // The joins needed by another element come first.
    SqlPredicate dayObs = raw("day_obs.timespan OVERLAPS T'2024-11-09T01:00:00'");
    assertThat(dayObs.elementsToJoin()).containsExactly("exposure", "day_obs");
    assertThat(RAW.joinClauses(Set.of("day_obs"))).isEqualTo(
        "JOIN exposure ON exposure.instrument = d.instrument AND exposure.id = d.exposure"
            + " JOIN day_obs ON day_obs.instrument = d.instrument AND day_obs.id = exposure.day_obs");
  }

  @Test
  void qualifiedKeysAndDimensionsAreTheDimensions() {
    assertSql(raw("exposure.id = 5"), "d.exposure = ?", 5L);
    assertSql(raw("exposure.instrument = 'X'"), "d.instrument = ?", "X");
    assertSql(raw("physical_filter.name = 'r_03'"), "exposure.physical_filter = ?", "r_03");
    assertSql(raw("physical_filter.band = 'r'"), "physical_filter.band = ?", "r");
    assertSql(raw("band.name = 'r'"), "physical_filter.band = ?", "r");
    assertSql(raw("Detector.ID = 5"), "d.detector = ?", 5L);
    assertSql(raw("detector.full_name = 'R22_S11'"), "detector.full_name = ?", "R22_S11");
    assertThat(raw("detector.full_name = 'R22_S11'").elementsToJoin()).containsExactly("detector");
  }

  @Test
  void unqualifiedFieldsResolveWhenUnambiguous() {
    assertSql(raw("observation_type = 'science'"), "exposure.observation_type = ?", "science");
    assertSql(raw("raft = 'R22'"), "detector.raft = ?", "R22");
    assertSql(raw("obs_id = 'CC_O_20241108_000001'"), "exposure.obs_id = ?", "CC_O_20241108_000001");
  }

  @Test
  void calexpReadsImpliedDimensionsThroughVisit() {
    SqlPredicate p = SqlTranslator.translate("band = 'r' AND visit.timespan.begin > T'2024-11-09 00:00:00'",
        CALEXP);
    long begin = (LocalDateTime.of(2024, 11, 9, 0, 0).toEpochSecond(java.time.ZoneOffset.UTC) + 37) * S;
    assertSql(p, "physical_filter.band = ? AND lower(visit.timespan) > ?", "r", begin);
    assertThat(p.elementsToJoin()).containsExactly("visit", "physical_filter");
    assertThat(CALEXP.joinClauses(p.elementsToJoin())).isEqualTo(
        "JOIN visit ON visit.instrument = d.instrument AND visit.id = d.visit"
            + " JOIN physical_filter ON physical_filter.instrument = d.instrument"
            + " AND physical_filter.name = visit.physical_filter");
    assertSql(SqlTranslator.translate("visit > 100 AND visit < 200", CALEXP), "d.visit > ? AND d.visit < ?", 100L,
        200L);
  }

  @Test
  void elementAliasesCanBePrefixed() {
    QueryContext context = RAW.toBuilder().elementAliasPrefix("q_").build();
    SqlPredicate p = SqlTranslator.translate("group = 'g' AND band = 'r'", context);
    assertSql(p, "q_exposure.\"group\" = ? AND q_physical_filter.band = ?", "g", "r");
    assertThat(context.joinClauses(p.elementsToJoin())).isEqualTo(
        "JOIN exposure AS q_exposure ON q_exposure.instrument = d.instrument AND q_exposure.id = d.exposure"
            + " JOIN physical_filter AS q_physical_filter ON q_physical_filter.instrument = d.instrument"
            + " AND q_physical_filter.name = q_exposure.physical_filter");
    QueryContext withGroupTable = QueryContext.builder(DimensionUniverse.v7(),
        DimensionUniverse.v7().group(List.of("instrument", "group"))).datasetType("g").build();
    assertThat(withGroupTable.joinClauses(List.of("group"))).isEqualTo("JOIN \"group\" ON \"group\".instrument ="
        + " d.instrument AND \"group\".name = d.\"group\"");
  }

  // ------------------------------------------------------------------------------------------- widening

  private static QueryContext widened(QueryContext context, String expression) {
    return context.widenedFor(ExpressionParser.parse(expression).orElseThrow());
  }

  @Test
  void dimensionsOutsideTheQueryWidenItThroughTheElementsThatRelateThem() {
    QueryContext rawByVisit = widened(RAW, "visit = 42");
    assertThat(rawByVisit.dimensions().names()).contains("visit").containsAll(RAW.dimensions().names());
    assertThat(rawByVisit.baseDimensions()).isEqualTo(RAW.dimensions());
    SqlPredicate p = SqlTranslator.translate("visit = 42", rawByVisit);
    assertSql(p, "visit_definition.visit = ?", 42L);
    // exposure and visit both imply physical_filter and day_obs: joined rows agree on them, as in daf_butler
    assertThat(rawByVisit.relationshipElements()).containsExactly("physical_filter", "exposure", "visit",
        "visit_definition");
    assertThat(rawByVisit.joinClauses(rawByVisit.relationshipElements())).isEqualTo(
        "JOIN exposure ON exposure.instrument = d.instrument AND exposure.id = d.exposure"
            + " JOIN physical_filter ON physical_filter.instrument = d.instrument"
            + " AND physical_filter.name = exposure.physical_filter"
            + " JOIN visit_definition ON visit_definition.instrument = d.instrument"
            + " AND visit_definition.exposure = d.exposure"
            + " JOIN visit ON visit.instrument = d.instrument AND visit.id = visit_definition.visit"
            + " AND visit.physical_filter = exposure.physical_filter AND visit.day_obs = exposure.day_obs");
    // a qualified field widens too; an unqualified one is looked up in the dataset type's dimensions only
    assertThat(widened(CALEXP, "exposure.observation_type = 'science'").dimensions().names()).contains("exposure");
    assertThat(error("observation_type = 'science'", CALEXP))
        .hasMessage("Unrecognized identifier 'observation_type' (line: 1, pos: 1)");
    assertSql(SqlTranslator.translate("exposure.observation_type = 'science'",
        widened(CALEXP, "exposure.observation_type = 'science'")), "exposure.observation_type = ?", "science");
    // nothing relates visit_system to raws but the instrument: its own table, as daf_butler joins it
    QueryContext bySystem = widened(RAW, "visit_system = 2");
    assertThat(bySystem.joinClauses(SqlTranslator.translate("visit_system = 2", bySystem).elementsToJoin()))
        .isEqualTo("JOIN visit_system ON visit_system.instrument = d.instrument");
    assertThat(widened(RAW, "detector = 1")).isSameAs(RAW);
  }

  @Test
  void recordsOfAnElementReadKeysFromItsTable() {
    QueryContext exposures = QueryContext.forElement(DimensionUniverse.v7(), "exposure").build();
    assertSql(SqlTranslator.translate("exposure > 5 AND band = 'r'", exposures),
        "exposure.id > ? AND physical_filter.band = ?", 5L, "r");
    QueryContext byVisit = widened(exposures, "visit = 7");
    assertThat(byVisit.joinClauses(List.of("visit"))).isEqualTo(
        "JOIN visit_definition ON visit_definition.instrument = exposure.instrument"
            + " AND visit_definition.exposure = exposure.id"
            + " JOIN visit ON visit.instrument = exposure.instrument AND visit.id = visit_definition.visit"
            + " AND visit.physical_filter = exposure.physical_filter AND visit.day_obs = exposure.day_obs");
  }

  @Test
  void wideningIntoAnotherSpatialFamilyIsRefused() {
    ExpressionException e = error("detector = 1 AND tract = 3", CALEXP, true);
    assertThat(e).hasMessage("Dimension 'tract' cannot be added to this query: relating observation_regions and"
        + " skymap_regions needs a spatial join (region overlaps), which is not supported (line: 1, pos: 18)");
    assertThat(error("htm7 = 3", CALEXP, true).getMessage()).contains("relating htm7 and observation_regions");
  }

  // ------------------------------------------------------------------------------------------- operators, IN

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "detector IN (0..8:2)          | d.detector BETWEEN ? AND ? AND (d.detector - ?) % ? = 0",
      "detector IN (0..8)            | d.detector BETWEEN ? AND ?",
      "detector NOT IN (1, 2)        | d.detector NOT IN (?, ?)",
      "detector NOT IN (0..3)        | NOT d.detector BETWEEN ? AND ?",
      "detector IN (1, 3..4, NULL)   | d.detector IN (?) OR d.detector BETWEEN ? AND ? OR d.detector IS NULL",
      "detector IN (5..4)            | d.detector BETWEEN ? AND ?",
      "exposure % 2 = 1              | d.exposure % ? = ?",
      "detector + 1 * 2 = 3          | d.detector + ? * ? = ?",
      "(detector + 1) * 2 = 3        | (d.detector + ?) * ? = ?",
      "detector - (1 - 2) = 3        | d.detector - (? - ?) = ?",
      "-detector = -1                | -d.detector = ?",
      "- -detector = 1               | -(-d.detector) = ?",
      "exposure / detector > 1       | d.exposure / NULLIF(d.detector, 0) > ?",
      "NOT (detector = 1 OR detector = 2) | NOT (d.detector = ? OR d.detector = ?)",
      "detector = 1 OR detector = 2 AND detector = 3 | d.detector = ? OR d.detector = ? AND d.detector = ?",
      "(detector = 1 OR detector = 2) AND detector = 3 | (d.detector = ? OR d.detector = ?) AND d.detector = ?",
      "detector = 1 AND (detector = 2 AND detector = 3) | d.detector = ? AND (d.detector = ? AND d.detector = ?)",
      "NOT NOT detector = 1          | NOT (NOT d.detector = ?)",
      "detector != 1                 | d.detector <> ?",
      "exposure.observation_type = NULL  | exposure.observation_type IS NULL",
      "NULL != exposure.target_name      | exposure.target_name IS NOT NULL",
      "exposure.can_see_sky              | exposure.can_see_sky",
      "NOT exposure.can_see_sky AND exposure.has_simulated | NOT exposure.can_see_sky AND exposure.has_simulated",
      "exposure.can_see_sky = NULL       | exposure.can_see_sky IS NULL",
      "(detector = 1) = (detector = 2)   | (d.detector = ?) = (d.detector = ?)",
  })
  void translatesOperatorsWithSqlPrecedence(String expression, String sql) {
    assertThat(raw(expression).sql()).isEqualTo(sql);
  }

  @Test
  void rangesBindStartStopAndStride() {
    assertSql(raw("detector IN (0..8:2)"), "d.detector BETWEEN ? AND ? AND (d.detector - ?) % ? = 0", 0L, 8L, 0L,
        2L);
    assertSql(raw("detector IN (1, 3..4, NULL)"),
        "d.detector IN (?) OR d.detector BETWEEN ? AND ? OR d.detector IS NULL", 1L, 3L, 4L);
    assertSql(raw("detector IN (-3..-1)"), "d.detector BETWEEN ? AND ?", -3L, -1L);
  }

  @Test
  void numbersAreTypedFromTheirText() {
    assertSql(raw("exposure.exposure_time > 10"), "exposure.exposure_time > ?", 10.0);
    assertSql(raw("exposure.exposure_time > 1e1"), "exposure.exposure_time > ?", 10.0);
    assertSql(raw("exposure.exposure_time < .5 + detector"), "exposure.exposure_time < ? + d.detector", 0.5);
    assertSql(raw("detector = -1"), "d.detector = ?", -1L);
    assertSql(raw("detector = +1"), "d.detector = ?", 1L);
    assertSql(raw("detector IN (1.5, 2)"), "d.detector IN (?, ?)", 1.5, 2.0);
    assertSql(raw("exposure = 2024110800001"), "d.exposure = ?", 2024110800001L);
  }

  // ------------------------------------------------------------------------------------------------- times

  @Test
  void timesAreTaiNanosecondsForTimespansAndUtcForIngestDate() {
    long begin = (LocalDateTime.of(2024, 11, 9, 1, 30).toEpochSecond(java.time.ZoneOffset.UTC) + 37) * S;
    SqlPredicate p = raw("exposure.timespan.begin > T'2024-11-09T01:30:00'");
    assertSql(p, "lower(exposure.timespan) > ?", begin);
    assertThat(p.elementsToJoin()).containsExactly("exposure");
    assertSql(raw("exposure.timespan.end <= T'mjd/60623.0/tai'"), "upper(exposure.timespan) <= ?",
        (60623L - 40587L) * 86_400L * S);
    assertSql(raw("ingest_date < T'2020-11-06 21:10:00'"), "d.ingest_date < ?", LocalDateTime.of(2020, 11, 6, 21, 10));
    assertSql(raw("raw.ingest_date >= T'mjd/59159.0/tai'"), "d.ingest_date >= ?",
        LocalDateTime.of(2020, 11, 5, 23, 59, 23));
    assertSql(raw("ingest_date IN (T'2020-11-06 21:10:00')"), "d.ingest_date IN (?)",
        LocalDateTime.of(2020, 11, 6, 21, 10));
  }

  @Test
  void timespanOverlaps() {
    long a = (LocalDateTime.of(2024, 11, 9, 0, 0).toEpochSecond(java.time.ZoneOffset.UTC) + 37) * S;
    long b = (LocalDateTime.of(2024, 11, 10, 0, 0).toEpochSecond(java.time.ZoneOffset.UTC) + 37) * S;
    assertSql(raw("exposure.timespan OVERLAPS (T'2024-11-09T00:00:00', T'2024-11-10T00:00:00')"),
        "exposure.timespan && int8range(?, ?)", a, b);
    assertSql(raw("exposure.timespan OVERLAPS (NULL, T'2024-11-10T00:00:00')"),
        "exposure.timespan && int8range(?, ?)", 0L, b);
    assertSql(raw("exposure.timespan OVERLAPS (T'2024-11-09T00:00:00', NULL)"),
        "exposure.timespan && int8range(?, ?)", a, LeapSeconds.MAX_NSEC);
    assertSql(raw("exposure.timespan OVERLAPS (T'2024-11-10T00:00:00', T'2024-11-09T00:00:00')"),
        "exposure.timespan && int8range(?, ?)", b, b);
    assertSql(raw("T'2024-11-09T00:00:00' OVERLAPS exposure.timespan"), "exposure.timespan @> ?", a);
    assertSql(raw("exposure.timespan OVERLAPS day_obs.timespan"), "exposure.timespan && day_obs.timespan");
    assertSql(raw("exposure.timespan = (T'2024-11-09T00:00:00', T'2024-11-10T00:00:00')"),
        "exposure.timespan = int8range(?, ?)", a, b);
  }

  // ----------------------------------------------------------------------------------------- dataset fields

  @Test
  void datasetFields() {
    UUID id = UUID.fromString("e15ab039-bc8b-4135-87c5-90902a7c0b22");
    assertSql(raw("raw.dataset_id = UUID('e15ab039-bc8b-4135-87c5-90902a7c0b22')"), "d.id = ?", id);
    assertSql(raw("dataset_id IN (UUID('e15ab039-bc8b-4135-87c5-90902a7c0b22'))"), "d.id IN (?)", id);
    assertSql(raw("run = 'LSSTComCam/raw/all'"), "(SELECT run_collection.name FROM collection AS run_collection"
        + " WHERE run_collection.collection_id = d.run_id) = ?", "LSSTComCam/raw/all");
    QueryContext withCollection = RAW.toBuilder().runSql("r.name").collectionSql("c.name").build();
    assertSql(SqlTranslator.translate("collection = 'a' AND RAW.run = 'b'", withCollection),
        "(c.name) = ? AND (r.name) = ?", "a", "b");
  }

  // --------------------------------------------------------------------------------------------- functions

  @Test
  void globIsLikeWithWildcardsTranslatedAndTheRestEscaped() {
    assertSql(raw("GLOB(exposure.obs_id, 'CC_O_2024*')"), "exposure.obs_id LIKE ?", "CC\\_O\\_2024%");
    assertSql(raw("glob(instrument, 'LSST?omCam')"), "d.instrument LIKE ?", "LSST_omCam");
    assertSql(raw("glob(instrument, '100%')"), "d.instrument LIKE ?", "100\\%");
    assertSql(raw("glob(instrument, 'a\\*b\\?c\\\\d\\e')"), "d.instrument LIKE ?", "a*b?c\\\\d\\\\e");
    assertSql(raw("glob(instrument, '*')"), "TRUE");
    assertSql(SqlTranslator.translate("GLOB(exposure.observation_type, :p)", RAW.withBinds(Map.of("p", "sci*"))),
        "exposure.observation_type LIKE ?", "sci%");
    assertThat(SqlTranslator.likePattern("x\\")).isEqualTo("x\\\\");
  }

  // ------------------------------------------------------------------------------------------------- binds

  @Test
  void bindValuesAreParameters() {
    QueryContext context = RAW.withBinds(Map.of("t", "'; DROP TABLE dataset; --", "E", 5L,
        "ids", List.of(1L, 2L, 3), "flag", true, "day", LocalDateTime.of(2020, 1, 1, 0, 0)));
    assertSql(SqlTranslator.translate("observation_type = :t", context), "exposure.observation_type = ?",
        "'; DROP TABLE dataset; --");
    assertSql(SqlTranslator.translate("exposure = e", context), "d.exposure = ?", 5L);
    assertSql(SqlTranslator.translate("exposure = :E", context), "d.exposure = ?", 5L);
    assertSql(SqlTranslator.translate("exposure IN (:ids, 7)", context), "d.exposure IN (?, ?, ?, ?)", 1L, 2L, 3L,
        7L);
    assertSql(SqlTranslator.translate("exposure.can_see_sky = :flag", context), "exposure.can_see_sky = ?", true);
    assertSql(SqlTranslator.translate("exposure.timespan.begin > :day", context), "lower(exposure.timespan) > ?",
        (LocalDateTime.of(2020, 1, 1, 0, 0).toEpochSecond(java.time.ZoneOffset.UTC) + 37) * S);
    java.util.Map<String, Object> withNull = new java.util.HashMap<>();
    withNull.put("nothing", null);
    assertSql(SqlTranslator.translate("exposure.target_name = :nothing", RAW.withBinds(withNull)),
        "exposure.target_name IS NULL");
  }

  @Test
  void emptyExpressionIsTrue() {
    assertThat(raw("")).isEqualTo(SqlPredicate.TRUE);
    assertThat(raw("  ").isTrue()).isTrue();
    assertThat(SqlTranslator.translate((Node) null, RAW).sql()).isEqualTo("TRUE");
  }

  @Test
  void expressionsAtTheParserLimitsNeedLittleStack() throws InterruptedException {
    int depth = ExpressionParser.MAX_DEPTH;
    List<String> atLimits = List.of(
        "(".repeat(depth) + "detector = 1" + ")".repeat(depth),
        "NOT ".repeat(depth) + "exposure.can_see_sky",
        "detector = " + "- ".repeat(depth - 1) + "detector",
        "detector = 1" + " OR detector = 1".repeat(499),
        "detector = 1" + " + 1".repeat(998));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<SqlPredicate> results = new CopyOnWriteArrayList<>();
    Thread thread = new Thread(null, () -> {
      try {
        for (String expression : atLimits) {
          results.add(SqlTranslator.translate(expression, RAW));
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "small-stack", 512 * 1024);
    thread.start();
    thread.join();
    assertThat(failure.get()).isNull();
    assertThat(results).hasSize(atLimits.size());
  }

  @Test
  void longChainsBecomeFlatSql() {
    String many = "detector = 1" + " OR detector = 1".repeat(499);
    SqlPredicate p = raw(many);
    assertThat(p.sql()).startsWith("d.detector = ? OR d.detector = ? OR").doesNotContain("(");
    assertThat(p.parameters()).hasSize(500);
  }

  // ------------------------------------------------------------------------------------------------ errors

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "foo = 1                        | Unrecognized identifier 'foo' (line: 1, pos: 1)",
      "detector = 1 AND foo.bar.baz = 1 | Unrecognized identifier 'foo.bar.baz' (line: 1, pos: 18)",
      "exposure.timespan.middle = 1   | Unrecognized identifier 'exposure.timespan.middle' (line: 1, pos: 1)",
      "timespan.begin > T'58938.5'    | Ambiguous identifier 'timespan' matches multiple fields: 'day_obs.timespan',"
          + " 'exposure.timespan', 'raw.timespan' (line: 1, pos: 1)",
      "id = 1                         | Ambiguous identifier 'id' matches multiple fields: 'day_obs.id', 'detector.id',"
          + " 'exposure.id' (line: 1, pos: 1)",
      "detector = 1 AND name = 'x'    | Ambiguous identifier 'name' matches multiple fields: 'band.name', 'group.name',"
          + " 'instrument.name', 'physical_filter.name' (line: 1, pos: 18)",
      "visit = 1                      | Dimension 'visit' is not part of this query, whose dimensions are instrument,"
          + " detector, exposure, band, day_obs, group, physical_filter (line: 1, pos: 1)",
      "visit.seq_num = 1              | Dimension element 'visit' is not part of this query, whose dimensions are"
          + " instrument, detector, exposure, band, day_obs, group, physical_filter (line: 1, pos: 1)",
      "exposure.foo = 1               | Unrecognized field 'foo' for exposure (line: 1, pos: 1)",
      "exposure.band = 'r'            | Unrecognized field 'band' for exposure (line: 1, pos: 1)",
      "raw.foo = 1                    | Identifier 'raw.foo' references dataset type 'raw' but field 'foo' is not"
          + " valid for datasets (line: 1, pos: 1)",
      "flat.dataset_id = UUID('e15ab039-bc8b-4135-87c5-90902a7c0b22') | Identifier 'flat.dataset_id' references"
          + " dataset type 'flat', which is not a dataset type of this query (raw) (line: 1, pos: 1)",
      "raw.timespan = NULL            | The dataset field 'timespan' (validity ranges of calibration lookups) is not"
          + " supported yet (line: 1, pos: 1)",
      "collection = 'x'               | The dataset field 'collection' is not available in this query"
          + " (line: 1, pos: 1)",
      "exposure.observation_type.begin = 1 | '.begin' applies to timespans only, not to a string in"
          + " 'exposure.observation_type.begin' (line: 1, pos: 1)",
      "detector = 'x'                 | Invalid types int, string for binary operator '=' in expression detector = 'x'"
          + " (line: 1, pos: 10)",
      "detector + 'a' > 1             | Invalid types int, string for binary operator '+' in expression detector + 'a'"
          + " (line: 1, pos: 10)",
      "exposure.observation_type % 2 = 1 | Invalid types string, int for binary operator '%' in expression"
          + " exposure.observation_type % 2 (line: 1, pos: 27)",
      "exposure.exposure_time % 2 = 1 | Invalid column type float for operator '%' in expression"
          + " exposure.exposure_time % 2 (line: 1, pos: 24)",
      "detector / 0 = 1               | Division by zero in expression detector / 0 (line: 1, pos: 10)",
      "exposure.can_see_sky < exposure.has_simulated | Invalid column type bool for operator '<' in expression"
          + " exposure.can_see_sky < exposure.has_simulated (line: 1, pos: 22)",
      "raw.dataset_id < UUID('e15ab039-bc8b-4135-87c5-90902a7c0b22') | Invalid column type uuid for operator '<' in"
          + " expression raw.dataset_id < UUID('e15ab039-bc8b-4135-87c5-90902a7c0b22') (line: 1, pos: 16)",
      "exposure.timespan < T'58938.5' | Invalid types timespan, datetime for binary operator '<' in expression"
          + " exposure.timespan < T'58938.5' (line: 1, pos: 19)",
      "detector = 1 AND 2             | Invalid types bool, int for binary operator 'AND' in expression"
          + " detector = 1 AND 2 (line: 1, pos: 14)",
      "detector                       | Expression 'detector' is not a boolean expression (it is of type int)"
          + " (line: 1, pos: 1)",
      "NOT detector                   | Unary operator 'NOT' is not valid for operand of type int in NOT detector"
          + " (line: 1, pos: 1)",
      "-exposure.observation_type = 1 | Unary operator '-' is not valid for operand of type string in"
          + " -exposure.observation_type (line: 1, pos: 1)",
      "detector < NULL                | Invalid types int, NULL for binary operator '<' in expression detector <"
          + " NULL (line: 1, pos: 10)",
      "detector = 1..3                | Range literal 1..3 is allowed only inside IN (...), not with operator '='"
          + " (line: 1, pos: 12)",
      "exposure.observation_type IN (1..5) | Range 1..5 applies to integers only, not to a string (line: 1, pos: 31)",
      "detector IN (5..3)             | Range stop must be >= start in 5..3 (line: 1, pos: 14)",
      "detector IN (1, 'a')           | Column types for membership test detector IN (1, 'a') do not agree (int,"
          + " string) (line: 1, pos: 17)",
      "exposure.timespan IN (1)       | Timespan or region exposure.timespan may not be used in IN expressions"
          + " (line: 1, pos: 19)",
      "ingest_date > exposure.timespan.begin | ingest_date cannot be compared with a TAI time column in ingest_date"
          + " > exposure.timespan.begin (line: 1, pos: 13)",
      "exposure.timespan OVERLAPS 1   | Invalid column types timespan, int for operator 'OVERLAPS' in expression"
          + " exposure.timespan OVERLAPS 1 (it compares timespans, or a timespan and a time) (line: 1, pos: 19)",
      "exposure.timespan OVERLAPS ('a', T'58938.5') | Invalid type in timespan tuple \"('a', T'58938.5')\" (Note that"
          + " date/time strings must be preceded by \"T\" to be recognized) (line: 1, pos: 28)",
      "exposure = :missing            | Bind name ':missing' is not in the bind map (line: 1, pos: 12)",
      "foo(1) = 1                     | Function 'foo' is not supported; the supported functions are GLOB and UUID"
          + " (POINT is recognised, but spatial constraints are not supported) (line: 1, pos: 1)",
      "CIRCLE(1, 2, 3) = 1            | Function 'CIRCLE' is not supported; the supported functions are GLOB and UUID"
          + " (POINT is recognised, but spatial constraints are not supported) (line: 1, pos: 1)",
      "glob(detector, 'a*')           | glob() first argument must be a string column (in GLOB(detector, 'a*'))"
          + " (line: 1, pos: 6)",
      "9223372036854775808 = detector | Integer literal 9223372036854775808 is outside the 64-bit integer range"
          + " (line: 1, pos: 1)",
  })
  void rejectsWithAPositionedMessage(String expression, String message) {
    ExpressionException e = error(expression, RAW);
    assertThat(e.kind()).isEqualTo(ExpressionException.Kind.INVALID);
    assertThat(e).hasMessage(message);
  }

  @Test
  void errorsCarryThePositionOfTheNodeAtFault() {
    ExpressionException e = error("detector = 1 AND\n  bogus = 2", RAW);
    assertThat(e).hasMessage("Unrecognized identifier 'bogus' (line: 2, pos: 3)");
    assertThat(e.position()).isEqualTo(19);
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(2);
  }

  @Test
  void spatialConstraintsAreRefusedWithTheReason() {
    String why = "spatial constraints (regions, POINT, OVERLAPS on regions) cannot be evaluated: regions are stored"
        + " as sphgeom encodings and the registry has no skypix overlap tables to test them with";
    ExpressionException point = error("visit.region OVERLAPS POINT(53.6, -32.7)", CALEXP);
    assertThat(point).hasMessage("POINT() is not supported: " + why + " (line: 1, pos: 23)");
    ExpressionException region = error("visit.region = NULL", CALEXP);
    assertThat(region).hasMessage("Region visit.region cannot be used: " + why + " (line: 1, pos: 1)");
    assertThat(error("visit.region OVERLAPS visit.region", CALEXP).getMessage())
        .startsWith("Region visit.region cannot be used");
  }

  @Test
  void bindListsOnlyInsideIn() {
    QueryContext context = RAW.withBinds(Map.of("ids", List.of(1L, 2L), "mixed", List.of(1L, "a"),
        "nested", List.of(List.of(1L)), "odd", new Object()));
    assertThat(error("exposure = :ids", context))
        .hasMessage("Bind value :ids is a list, which is allowed only on the right-hand side of IN (line: 1, pos: 12)");
    assertThat(error("exposure IN (:mixed)", context)).hasMessage(
        "Mismatched types in bind iterable 'mixed': a mix of [int, string] (line: 1, pos: 14)");
    assertThat(error("exposure IN (:nested)", context)).hasMessage(
        "Bind value of 'nested' holds a list inside a list (line: 1, pos: 14)");
    assertThat(error("exposure = :odd", context).getMessage()).startsWith("Bind value of 'odd' has unsupported type");
  }

  @Test
  void ambiguousDatasetFieldsWithSeveralDatasetTypes() {
    QueryContext two = RAW.toBuilder().datasetType("raw_copy").build();
    assertThat(error("dataset_id = UUID('e15ab039-bc8b-4135-87c5-90902a7c0b22')", two)).hasMessage(
        "Ambiguous identifier 'dataset_id' matches multiple fields: 'raw.dataset_id', 'raw_copy.dataset_id'"
            + " (line: 1, pos: 1)");
    assertSql(SqlTranslator.translate("raw_copy.dataset_id = UUID('e15ab039-bc8b-4135-87c5-90902a7c0b22')", two),
        "d.id = ?", UUID.fromString("e15ab039-bc8b-4135-87c5-90902a7c0b22"));
  }

  @Test
  void parseErrorsPassThrough() {
    ExpressionException e = error("exposure.observation_type = 'x'' OR 1=1 --'", RAW);
    assertThat(e.kind()).isEqualTo(ExpressionException.Kind.SYNTAX);
  }
}
