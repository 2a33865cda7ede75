package io.autobutler.verifier.listener;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.autobutler.core.event.DatasetEvent;
import io.autobutler.core.event.EventJson;
import io.autobutler.core.event.IngestedEvent;
import io.autobutler.core.messaging.DeadLetter;
import io.autobutler.verifier.service.Campaign;
import io.autobutler.verifier.service.Verification;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;

/**
 * The events after which the repository is verified again: {@code butler.ingested} summaries for the verified
 * repository and {@code rucio.datasets} completions (what Rucio has changed). Each only asks for a run; runs are
 * coalesced ({@link Verification#changed}). A record that is not such an event goes to its topic's {@code .dlq}
 * unchanged, with the reason in the headers; the stream goes on.
 */
@ApplicationScoped
public class TriggerListener {

  private final Campaign campaign;
  private final Verification verification;
  private final MutinyEmitter<String> ingestedDeadLetters;
  private final MutinyEmitter<String> datasetDeadLetters;
  private final MeterRegistry meters;

  public TriggerListener(Campaign campaign, Verification verification,
                         @Channel("ingested-dlq") MutinyEmitter<String> ingestedDeadLetters,
                         @Channel("datasets-dlq") MutinyEmitter<String> datasetDeadLetters, MeterRegistry meters) {
    this.campaign = campaign;
    this.verification = verification;
    this.ingestedDeadLetters = ingestedDeadLetters;
    this.datasetDeadLetters = datasetDeadLetters;
    this.meters = meters;
  }

  @Incoming("ingested")
  @Blocking
  public CompletionStage<Void> ingested(KafkaRecord<String, String> record) {
    try {
      IngestedEvent event = EventJson.read(record.getPayload(), IngestedEvent.class);
      if (event.repository() == null || event.repository().isBlank()) {
        throw new EventJson.MalformedEventException("IngestedEvent without repository");
      }
      if (campaign.repository().filter(event.repository()::equals).isPresent()) {
        verification.changed("ingested");
      }
    } catch (EventJson.MalformedEventException e) {
      deadLetter(record, e, ingestedDeadLetters);
    }
    return record.ack();
  }

  @Incoming("datasets")
  @Blocking
  public CompletionStage<Void> datasets(KafkaRecord<String, String> record) {
    try {
      DatasetEvent event = EventJson.read(record.getPayload(), DatasetEvent.class);
      String problems = event.problems();
      if (!problems.isEmpty()) {
        throw new EventJson.MalformedEventException("DatasetEvent " + problems);
      }
      verification.changed("rucio-dataset");
    } catch (EventJson.MalformedEventException e) {
      deadLetter(record, e, datasetDeadLetters);
    }
    return record.ack();
  }

  /** The original value to the topic's dead letters, acknowledged by the broker before the record is. */
  private void deadLetter(KafkaRecord<String, String> record, Exception reason, MutinyEmitter<String> letters) {
    DeadLetter.of(record, reason).sendTo(letters);
    meters.counter("autobutler.verifier.dead.letters", "topic", record.getTopic()).increment();
  }
}
