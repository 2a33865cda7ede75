package io.autobutler.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes what Rubin's Kafka-enabled Hermes publishes for a replica that arrived by transfer: a
 * {@code transfer-done} envelope ({@code event_type}, {@code payload}, {@code created_at}) on topic
 * {@code <dst-rse>-<scope>} with the constant key {@code "message"}, and only for files that carry
 * {@code rubin_butler} metadata (the HermesK filter drops the others).
 */
final class HermesPublisher implements AutoCloseable {

  static final String SOURCE_RSE = "SLAC_RAW_DISK";
  private final KafkaProducer<String, String> producer;
  private final String rse;

  HermesPublisher(String bootstrapServers, String rse) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "rucio-simulator-hermes");
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    this.rse = rse;
  }

  static String topic(String rse, String scope) {
    return rse + "-" + scope;
  }

  /** Sends one transfer-done per file that has rubin_butler, and waits until the broker has them all. */
  int transferDone(List<Catalogue.SimFile> files, java.util.function.Function<Catalogue.SimFile, String> pfn) {
    int sent = 0;
    for (Catalogue.SimFile file : files) {
      if (!file.meta.containsKey("rubin_butler")) {
        continue;
      }
      producer.send(new ProducerRecord<>(topic(rse, file.scope), "message", envelope(file, pfn.apply(file))));
      sent++;
    }
    producer.flush();
    return sent;
  }

  /** Sends a message as given, to replay or forge one. */
  void send(String topic, String value) {
    producer.send(new ProducerRecord<>(topic, "message", value));
    producer.flush();
  }

  String envelope(Catalogue.SimFile file, String dstUrl) {
    long now = System.currentTimeMillis();
    String transferId = UUID.randomUUID().toString();
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("activity", "User Subscriptions");
    payload.put("request-id", UUID.randomUUID().toString().replace("-", ""));
    payload.put("duration", 1);
    payload.put("checksum-adler", file.adler32);
    payload.put("checksum-md5", file.md5);
    payload.put("file-size", file.bytes);
    payload.put("bytes", file.bytes);
    payload.put("guid", null);
    payload.put("previous-request-id", null);
    payload.put("protocol", dstUrl.substring(0, dstUrl.indexOf(':')));
    payload.put("scope", file.scope);
    payload.put("name", file.name);
    payload.put("dataset", file.dataset.name);
    payload.put("datasetScope", file.dataset.scope);
    payload.put("src-type", "DISK");
    payload.put("src-rse", SOURCE_RSE);
    payload.put("src-url", "davs://sdfdtn.slac.stanford.edu:2094/rubin/" + file.scope + "/" + file.name);
    payload.put("dst-type", "DISK");
    payload.put("dst-rse", rse);
    payload.put("dst-url", dstUrl);
    payload.put("reason", "");
    payload.put("transfer-endpoint", "https://fts:8446");
    payload.put("transfer-id", transferId);
    payload.put("transfer-link", null);
    String time = RucioWire.PYTHON_DATETIME.format(java.time.Instant.ofEpochMilli(now));
    payload.put("created_at", time);
    payload.put("submitted_at", time);
    payload.put("started_at", time);
    payload.put("transferred_at", time);
    payload.put("tool-id", "rucio-conveyor");
    payload.put("account", "root");
    payload.put("datatype", null);
    payload.put("transfer_link", "https://fts:8449/fts3/ftsmon/#/job/" + transferId);
    payload.put("rubin_butler", file.meta.get("rubin_butler"));
    if (file.meta.containsKey("rubin_sidecar")) {
      payload.put("rubin_sidecar", file.meta.get("rubin_sidecar"));
    }
    Map<String, Object> envelope = new LinkedHashMap<>();
    envelope.put("event_type", "transfer-done");
    envelope.put("payload", payload);
    envelope.put("created_at", time);
    try {
      return RucioWire.JSON.writeValueAsString(envelope);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
