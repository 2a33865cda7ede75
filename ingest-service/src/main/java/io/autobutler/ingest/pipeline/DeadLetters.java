package io.autobutler.ingest.pipeline;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.autobutler.core.event.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Sends records to {@code <topic>.dlq}: the original value, untouched, with why in the headers
 * ({@code dead-letter-reason}, {@code dead-letter-cause} the error class, {@code dead-letter-topic},
 * {@code -partition}, {@code -offset}; partition and offset are -1 for a replica that waited in the ledger and was
 * refused in a later batch). Each send waits for the broker's acknowledgement, so that a batch is acknowledged only
 * once its dead letters are safe.
 */
@ApplicationScoped
public class DeadLetters {

  private static final Logger LOG = Logger.getLogger(DeadLetters.class);

  private final MutinyEmitter<String> replicas;
  private final MutinyEmitter<String> datasets;
  private final IngestMetrics metrics;

  /** A record to dead-letter. */
  public record DeadLetter(String topic, int partition, long offset, String key, String value, String cause,
                           String reason) {

    /** A consumed record refused for {@code reason}. */
    public static DeadLetter of(KafkaRecord<String, String> record, Exception reason) {
      return of(record, reason.getClass().getName(), reason.getMessage());
    }

    /** A consumed record refused with an error class and a reason. */
    public static DeadLetter of(KafkaRecord<String, String> record, String cause, String reason) {
      long offset = record.getMetadata(IncomingKafkaRecordMetadata.class)
          .map(IncomingKafkaRecordMetadata::getOffset).orElse(-1L);
      return new DeadLetter(record.getTopic(), record.getPartition(), offset, record.getKey(), record.getPayload(),
          cause, reason);
    }
  }

  public DeadLetters(@Channel("replicas-dlq") MutinyEmitter<String> replicas,
                     @Channel("datasets-dlq") MutinyEmitter<String> datasets, IngestMetrics metrics) {
    this.replicas = replicas;
    this.datasets = datasets;
    this.metrics = metrics;
  }

  public void send(DeadLetter letter) {
    LOG.warnf("dead-lettering %s-%d@%d (%s): %s", letter.topic(), letter.partition(), letter.offset(), letter.key(),
        letter.reason());
    RecordHeaders headers = new RecordHeaders();
    headers.add("dead-letter-reason", bytes(letter.reason()));
    headers.add("dead-letter-cause", bytes(letter.cause()));
    headers.add("dead-letter-topic", bytes(letter.topic()));
    headers.add("dead-letter-partition", bytes(Integer.toString(letter.partition())));
    headers.add("dead-letter-offset", bytes(Long.toString(letter.offset())));
    OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
        .withKey(letter.key())
        .withHeaders(headers)
        .build();
    String value = letter.value() == null ? "" : letter.value();
    MutinyEmitter<String> emitter = Topics.RUCIO_DATASETS.equals(letter.topic()) ? datasets : replicas;
    emitter.sendMessageAndAwait(Message.of(value).addMetadata(metadata));
    metrics.deadLettered(letter.topic());
  }

  private static byte[] bytes(String text) {
    return (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
  }
}
