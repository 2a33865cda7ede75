package io.autobutler.ingest.listener;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.autobutler.core.event.DatasetEvent;
import io.autobutler.core.event.EventJson;
import io.autobutler.ingest.pipeline.DeadLetters;
import io.autobutler.ingest.pipeline.DeadLetters.DeadLetter;
import io.autobutler.ingest.service.DatasetImport;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;

/**
 * Consumes {@code rucio.datasets}, one complete Rucio dataset at a time: malformed records and datasets that cannot
 * be imported go to {@code rucio.datasets.dlq}; the record is acknowledged after the import committed.
 */
@ApplicationScoped
public class DatasetListener {

  private final DatasetImport datasetImport;
  private final DeadLetters deadLetters;

  public DatasetListener(DatasetImport datasetImport, DeadLetters deadLetters) {
    this.datasetImport = datasetImport;
    this.deadLetters = deadLetters;
  }

  @Incoming("datasets")
  @Blocking
  public CompletionStage<Void> consume(KafkaRecord<String, String> record) {
    DatasetEvent event;
    try {
      event = EventJson.read(record.getPayload(), DatasetEvent.class);
      String problems = event.problems();
      if (!problems.isEmpty()) {
        throw new EventJson.MalformedEventException(problems);
      }
    } catch (EventJson.MalformedEventException e) {
      deadLetters.send(DeadLetter.of(record, e));
      return record.ack();
    }
    datasetImport.process(event).ifPresent(refusal -> deadLetters.send(DeadLetter.of(record, refusal.cause(),
        refusal.reason())));
    return record.ack();
  }
}
