package io.autobutler.ingest.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.autobutler.core.event.EventJson;
import io.autobutler.core.event.ReplicaEvent;
import io.autobutler.core.messaging.DeadLetter;
import io.autobutler.ingest.pipeline.DeadLetters;
import io.autobutler.ingest.service.ReplicaIngest;
import io.autobutler.ingest.service.ReplicaIngest.Delivered;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Consumes {@code rucio.replicas} in batches. Records that are not replica events go to {@code rucio.replicas.dlq}
 * with the reason in the headers; the others go through the ingest pipeline. The batch is acknowledged (so its
 * offsets committed) only after both, so a crash at any point means redelivery, which the pipeline absorbs.
 */
@ApplicationScoped
public class ReplicaListener {

  private final ReplicaIngest ingest;
  private final DeadLetters deadLetters;

  public ReplicaListener(ReplicaIngest ingest, DeadLetters deadLetters) {
    this.ingest = ingest;
    this.deadLetters = deadLetters;
  }

  /**
   * The channel's {@code concurrency} consumers each call this with their own batches, in their partitions' order:
   * while one batch waits on the registry, another is read and classified. A Rucio dataset's events share a
   * partition, so two batches in flight never hold the same exposure's files.
   */
  @Incoming("replicas")
  @Blocking
  public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
    List<Delivered> events = new ArrayList<>();
    for (KafkaRecord<String, String> record : batch.getRecords()) {
      try {
        ReplicaEvent event = EventJson.read(record.getPayload(), ReplicaEvent.class);
        String problems = event.problems();
        if (!problems.isEmpty()) {
          throw new EventJson.MalformedEventException(problems);
        }
        long offset = record.getMetadata(IncomingKafkaRecordMetadata.class)
            .map(IncomingKafkaRecordMetadata::getOffset).orElse(-1L);
        events.add(new Delivered(event, record.getPayload(), record.getPartition(), offset));
      } catch (EventJson.MalformedEventException e) {
        deadLetters.send(DeadLetter.of(record, e));
      }
    }
    ingest.process(events);
    return batch.ack();
  }
}
