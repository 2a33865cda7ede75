package io.autobutler.ingest.listener;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.autobutler.core.event.DatasetEvent;
import io.autobutler.core.event.EventJson;
import io.autobutler.core.messaging.DeadLetter;
import io.autobutler.ingest.pipeline.DeadLetters;
import io.autobutler.ingest.service.DatasetActions;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;

/**
 * Consumes {@code rucio.datasets}, one complete Rucio dataset at a time: its rule's action is done
 * ({@link DatasetActions}); malformed records and datasets that the rule cannot take go to {@code rucio.datasets.dlq};
 * the record is acknowledged after the registry commit.
 */
@ApplicationScoped
public class DatasetListener {

  private final DatasetActions actions;
  private final DeadLetters deadLetters;

  public DatasetListener(DatasetActions actions, DeadLetters deadLetters) {
    this.actions = actions;
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
    actions.process(event).ifPresent(refusal -> deadLetters.send(DeadLetter.of(record, refusal.cause(),
        refusal.reason())));
    return record.ack();
  }
}
