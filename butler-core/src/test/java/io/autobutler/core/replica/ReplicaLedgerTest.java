package io.autobutler.core.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.core.registry.RegistryMigrations;
import io.autobutler.core.replica.ReplicaLedger.Entry;
import io.autobutler.core.replica.ReplicaLedger.Key;
import io.autobutler.core.replica.ReplicaLedger.Settlement;
import io.autobutler.core.replica.ReplicaLedger.State;
import io.autobutler.testsupport.PostgresServer;

/** The replica ledger on a real index schema: recording returns the entries, settling keeps what must be kept. */
class ReplicaLedgerTest {

  private static ReplicaLedger ledger;

  @BeforeAll
  static void ledger() {
    DataSource dataSource = PostgresServer.preferred().createDatabase("ledger").dataSource();
    RegistryMigrations.migrateIndex(dataSource, "ledger_index");
    ledger = new ReplicaLedger(dataSource, "ledger_index");
  }

  private static ReplicaEvent event(String name) {
    return new ReplicaEvent("raw", name, "IN2P3_RAW_DISK", "davs://host/raw/" + name, 10L, "0000abcd", "raw",
        "Dataset/refcats/x", "data_product", null, "poll", Instant.now());
  }

  private static Key key(String name) {
    return new Key("raw", name, "IN2P3_RAW_DISK");
  }

  @Test
  void recordingReturnsEveryEntryOfTheBatchWithItsState() throws Exception {
    ReplicaLedger.Recorded first = ledger.record(List.of(event("a.fits"), event("b.fits")));
    assertThat(first.added()).isEqualTo(2);
    assertThat(first.entries()).extracting(Entry::key).containsExactlyInAnyOrder(key("a.fits"), key("b.fits"));
    assertThat(first.entries()).allSatisfy(e -> assertThat(e.state()).isEqualTo(State.PENDING));

    UUID id = UUID.randomUUID();
    ledger.settle(List.of(new Settlement(key("a.fits"), State.INGESTED, null, id)));
    ReplicaLedger.Recorded again = ledger.record(List.of(event("a.fits"), event("c.fits")));
    assertThat(again.added()).isEqualTo(1);
    assertThat(again.entries()).filteredOn(e -> e.key().equals(key("a.fits"))).singleElement()
        .satisfies(e -> assertThat(e.state()).isEqualTo(State.INGESTED));
  }

  @Test
  void skippedSettlesOnlyWhatIsStillPending() throws Exception {
    ledger.record(List.of(event("shard1.fits"), event("shard2.fits")));
    UUID id = UUID.randomUUID();
    // a whole-dataset action ingested shard1 before the replica path got to say "skipped"
    ledger.settle(List.of(new Settlement(key("shard1.fits"), State.INGESTED, null, id)));
    ledger.settle(List.of(new Settlement(key("shard1.fits"), State.SKIPPED, "taken with its dataset", null),
        new Settlement(key("shard2.fits"), State.SKIPPED, "taken with its dataset", null)));
    List<Entry> entries = ledger.entries(List.of(key("shard1.fits"), key("shard2.fits")));
    assertThat(entries).filteredOn(e -> e.key().equals(key("shard1.fits"))).singleElement()
        .satisfies(e -> assertThat(e.state()).isEqualTo(State.INGESTED));
    assertThat(entries).filteredOn(e -> e.key().equals(key("shard2.fits"))).singleElement()
        .satisfies(e -> assertThat(e.state()).isEqualTo(State.SKIPPED));
    // and a rejection still overrides whatever was there
    ledger.settle(List.of(new Settlement(key("shard1.fits"), State.REJECTED, "conflict", null)));
    assertThat(ledger.entries(List.of(key("shard1.fits"))).get(0).state()).isEqualTo(State.REJECTED);
  }

  private static ReplicaEvent raw(String directory, String file) {
    String name = "LSSTComCam/" + directory + "/" + file;
    return new ReplicaEvent("raw", name, "IN2P3_RAW_DISK", "davs://host/raw/" + name, 10L, "0000abcd", "raw",
        "Dataset/LSSTComCam/raw/x", null, null, "poll", Instant.now());
  }

  private static String directory(String directory) {
    return "davs://host/raw/LSSTComCam/" + directory + "/";
  }

  @Test
  void theLookupReadsTheBatchsRecordedEntriesAndWhatEarlierBatchesLeftInItsDirectories() throws Exception {
    // earlier batches: d1's raws without their index; d2's index without its raws; d3 whole and settled
    ledger.record(List.of(raw("d1", "r1.fits"), raw("d1", "r2.fits"), raw("d2", "_index.json"),
        raw("d3", "_index.json"), raw("d3", "r1.fits")));
    ledger.settle(List.of(new Settlement(Key.of(raw("d3", "r1.fits")), State.INGESTED, null, UUID.randomUUID()),
        new Settlement(Key.of(raw("d3", "_index.json")), State.INGESTED, null, null)));

    ReplicaLedger.Before before = ledger.lookup(
        List.of(raw("d1", "_index.json"), raw("d1", "r2.fits"), raw("d2", "r1.fits"), raw("d3", "r1.fits"),
            raw("d4", "r1.fits")),
        Set.of(directory("d1"), directory("d2"), directory("d3"), directory("d4")), "_index.json");

    // the batch's replicas recorded before, with their states
    assertThat(before.recorded().keySet()).containsExactlyInAnyOrder(Key.of(raw("d1", "r2.fits")),
        Key.of(raw("d3", "r1.fits")));
    assertThat(before.recorded().get(Key.of(raw("d3", "r1.fits"))).state()).isEqualTo(State.INGESTED);
    // d1's r1 waited; r2 is the batch's own, so it is not reported twice; d2's index is pending too
    assertThat(before.pendingBefore()).extracting(Entry::key)
        .containsExactlyInAnyOrder(Key.of(raw("d1", "r1.fits")), Key.of(raw("d2", "_index.json")));
    // d2 and d3 held their index before the batch; d1's comes with it; d4 has none
    assertThat(before.holdingBefore()).containsExactlyInAnyOrder(directory("d2"), directory("d3"));
    // a lookup writes nothing
    assertThat(ledger.entries(List.of(Key.of(raw("d4", "r1.fits"))))).isEmpty();
  }

  @Test
  void aBatchIsRecordedOnceWithWhatBecameOfIt() throws Exception {
    // before: e1 ingested, e2 and e3 pending, e6 ingested by a whole-dataset action
    ledger.record(List.of(raw("e", "e1.fits"), raw("e", "e2.fits"), raw("e", "e3.fits"), raw("e", "e6.fits")));
    UUID first = UUID.randomUUID();
    UUID sixth = UUID.randomUUID();
    ledger.settle(List.of(new Settlement(Key.of(raw("e", "e1.fits")), State.INGESTED, null, first),
        new Settlement(Key.of(raw("e", "e6.fits")), State.INGESTED, null, sixth)));

    UUID second = UUID.randomUUID();
    UUID fourth = UUID.randomUUID();
    Map<Key, Settlement> settled = Map.of(
        Key.of(raw("e", "e2.fits")), new Settlement(Key.of(raw("e", "e2.fits")), State.INGESTED, null, second),
        Key.of(raw("e", "e4.fits")), new Settlement(Key.of(raw("e", "e4.fits")), State.INGESTED, null, fourth),
        Key.of(raw("e", "e6.fits")), new Settlement(Key.of(raw("e", "e6.fits")), State.SKIPPED, "whole", null),
        Key.of(raw("e", "e7.fits")), new Settlement(Key.of(raw("e", "e7.fits")), State.SKIPPED, "whole", null));
    Map<Key, Settlement> waiting = Map.of(
        Key.of(raw("e", "e5.fits")), new Settlement(Key.of(raw("e", "e5.fits")), State.PENDING, "no records", null));
    int added = ledger.recordOutcome(List.of(raw("e", "e1.fits"), raw("e", "e2.fits"), raw("e", "e3.fits"),
        raw("e", "e4.fits"), raw("e", "e5.fits"), raw("e", "e6.fits"), raw("e", "e7.fits"), raw("e", "e8.fits")),
        settled, waiting);

    assertThat(added).isEqualTo(4); // e4, e5, e7, e8
    Map<Key, Entry> after = new java.util.HashMap<>();
    ledger.entries(List.of(Key.of(raw("e", "e1.fits")), Key.of(raw("e", "e2.fits")), Key.of(raw("e", "e3.fits")),
        Key.of(raw("e", "e4.fits")), Key.of(raw("e", "e5.fits")), Key.of(raw("e", "e6.fits")),
        Key.of(raw("e", "e7.fits")), Key.of(raw("e", "e8.fits")))).forEach(e -> after.put(e.key(), e));
    // nothing decided: an old one keeps its state, a new one is pending
    assertThat(after.get(Key.of(raw("e", "e1.fits"))).datasetId()).isEqualTo(first);
    assertThat(after.get(Key.of(raw("e", "e1.fits"))).state()).isEqualTo(State.INGESTED);
    assertThat(after.get(Key.of(raw("e", "e3.fits"))).state()).isEqualTo(State.PENDING);
    assertThat(after.get(Key.of(raw("e", "e8.fits"))).state()).isEqualTo(State.PENDING);
    // decided: old and new alike
    assertThat(after.get(Key.of(raw("e", "e2.fits"))).datasetId()).isEqualTo(second);
    assertThat(after.get(Key.of(raw("e", "e4.fits"))).state()).isEqualTo(State.INGESTED);
    assertThat(after.get(Key.of(raw("e", "e4.fits"))).datasetId()).isEqualTo(fourth);
    // skipped only settles what is new or still pending
    assertThat(after.get(Key.of(raw("e", "e6.fits"))).state()).isEqualTo(State.INGESTED);
    assertThat(after.get(Key.of(raw("e", "e6.fits"))).datasetId()).isEqualTo(sixth);
    assertThat(after.get(Key.of(raw("e", "e7.fits"))).state()).isEqualTo(State.SKIPPED);
    // waiting: pending with its reason, and since when
    assertThat(after.get(Key.of(raw("e", "e5.fits"))).state()).isEqualTo(State.PENDING);
    assertThat(after.get(Key.of(raw("e", "e5.fits"))).reason()).isEqualTo("no records");
    java.time.OffsetDateTime since = ledger.waitingSince(List.of(Key.of(raw("e", "e5.fits"))))
        .get(Key.of(raw("e", "e5.fits")));
    assertThat(since).isNotNull();
    // waiting again keeps the first time it started waiting
    Thread.sleep(20);
    ledger.recordOutcome(List.of(raw("e", "e5.fits")), Map.of(), waiting);
    assertThat(ledger.waitingSince(List.of(Key.of(raw("e", "e5.fits")))).get(Key.of(raw("e", "e5.fits"))))
        .isEqualTo(since);
  }
}
