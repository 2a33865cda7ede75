package io.autobutler.core.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * A record refused by a consumer, for its {@code <topic>.dlq}: the original value, untouched, with why in the headers
 * ({@code dead-letter-reason}, {@code dead-letter-cause} the error class, {@code dead-letter-topic},
 * {@code -partition}, {@code -offset}; partition and offset are -1 for a record that is not the one consumed, e.g. a
 * replica that waited in a ledger and was refused in a later batch). Every service dead-letters this way, so that one
 * tool reads all dead-letter topics.
 */
public record DeadLetter(String topic, int partition, long offset, String key, String value, String cause,
                         String reason) {

  public static final String REASON_HEADER = "dead-letter-reason";
  public static final String CAUSE_HEADER = "dead-letter-cause";
  public static final String TOPIC_HEADER = "dead-letter-topic";
  public static final String PARTITION_HEADER = "dead-letter-partition";
  public static final String OFFSET_HEADER = "dead-letter-offset";

  private static final Logger LOG = Logger.getLogger(DeadLetter.class);

  /** A record consumed from Kafka refused for {@code reason}. */
  public static DeadLetter of(Message<String> record, Exception reason) {
    return of(record, reason.getClass().getName(), reason.getMessage());
  }

  /** A record consumed from Kafka refused with an error class and a reason. */
  public static DeadLetter of(Message<String> record, String cause, String reason) {
    IncomingKafkaRecordMetadata<?, ?> consumed = record.getMetadata(IncomingKafkaRecordMetadata.class)
        .orElseThrow(() -> new IllegalArgumentException("not a record consumed from Kafka: " + record));
    return new DeadLetter(consumed.getTopic(), consumed.getPartition(), consumed.getOffset(),
        Objects.toString(consumed.getKey(), null), record.getPayload(), cause, reason);
  }

  /**
   * Sends it through {@code emitter} (the channel of {@code <topic>.dlq}) and waits for the broker's acknowledgement,
   * so that the refused record is acknowledged only once its dead letter is safe.
   */
  public void sendTo(MutinyEmitter<String> emitter) {
    LOG.warnf("dead-lettering %s-%d@%d (%s): %s", topic, partition, offset, key, reason);
    RecordHeaders headers = new RecordHeaders();
    headers.add(REASON_HEADER, bytes(reason));
    headers.add(CAUSE_HEADER, bytes(cause));
    headers.add(TOPIC_HEADER, bytes(topic));
    headers.add(PARTITION_HEADER, bytes(Integer.toString(partition)));
    headers.add(OFFSET_HEADER, bytes(Long.toString(offset)));
    OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
        .withKey(key)
        .withHeaders(headers)
        .build();
    emitter.sendMessageAndAwait(Message.of(value == null ? "" : value).addMetadata(metadata));
  }

  private static byte[] bytes(String text) {
    return (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
  }
}
