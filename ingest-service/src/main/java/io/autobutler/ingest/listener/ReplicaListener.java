package io.autobutler.ingest.listener;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.autobutler.core.event.EventJson;
import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.ingest.service.ReplicaIngest;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Consumes {@code rucio.replicas} in batches. Bad records go to {@code rucio.replicas.dlq} with the reason in the
 * headers; the good ones are recorded in one transaction; the batch is acknowledged (so its offsets committed)
 * only after both, so a crash at any point means redelivery, which recording absorbs.
 */
@ApplicationScoped
public class ReplicaListener {

  private static final Logger LOG = Logger.getLogger(ReplicaListener.class);

  private final ReplicaIngest ingest;
  private final MutinyEmitter<String> deadLetters;

  public ReplicaListener(ReplicaIngest ingest, @Channel("replicas-dlq") MutinyEmitter<String> deadLetters) {
    this.ingest = ingest;
    this.deadLetters = deadLetters;
  }

  @Incoming("replicas")
  @Blocking
  public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
    List<ReplicaEvent> events = new ArrayList<>();
    for (KafkaRecord<String, String> record : batch.getRecords()) {
      try {
        ReplicaEvent event = EventJson.read(record.getPayload(), ReplicaEvent.class);
        String problems = event.problems();
        if (!problems.isEmpty()) {
          throw new EventJson.MalformedEventException(problems);
        }
        events.add(event);
      } catch (EventJson.MalformedEventException e) {
        deadLetter(record, e);
      }
    }
    ingest.record(events);
    return batch.ack();
  }

  /** Sends the original record to the dead-letter topic and waits for the broker's acknowledgement. */
  private void deadLetter(KafkaRecord<String, String> record, Exception reason) {
    long offset = record.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset)
        .orElse(-1L);
    LOG.warnf("dead-lettering %s-%d@%d: %s", record.getTopic(), record.getPartition(), offset, reason.getMessage());
    RecordHeaders headers = new RecordHeaders();
    headers.add("dead-letter-reason", bytes(reason.getMessage()));
    headers.add("dead-letter-cause", bytes(reason.getClass().getName()));
    headers.add("dead-letter-topic", bytes(record.getTopic()));
    headers.add("dead-letter-partition", bytes(Integer.toString(record.getPartition())));
    headers.add("dead-letter-offset", bytes(Long.toString(offset)));
    OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
        .withKey(record.getKey())
        .withHeaders(headers)
        .build();
    String value = record.getPayload() == null ? "" : record.getPayload();
    deadLetters.sendMessageAndAwait(Message.of(value).addMetadata(metadata));
  }

  private static byte[] bytes(String text) {
    return (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
  }
}
