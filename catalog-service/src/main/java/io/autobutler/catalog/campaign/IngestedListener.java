package io.autobutler.catalog.campaign;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.autobutler.core.event.EventJson;
import io.autobutler.core.event.IngestedEvent;
import io.autobutler.core.messaging.DeadLetter;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;

/**
 * Consumes {@code butler.ingested}: each summary for the campaign's repository is noted for the next convergence pass
 * (coalesced, see {@link Convergence}); summaries for other repositories are ignored. A record that is not a
 * summary (not JSON, or without repository, run or dataset type) goes to {@code butler.ingested.dlq} unchanged, with
 * the reason in the headers ({@link DeadLetter}); the stream goes on. Without a manifest every record is
 * acknowledged and nothing else happens.
 */
@ApplicationScoped
public class IngestedListener {

  private final Campaign campaign;
  private final Convergence convergence;
  private final MutinyEmitter<String> deadLetters;
  private final CampaignMetrics metrics;

  public IngestedListener(Campaign campaign, Convergence convergence,
                          @Channel("ingested-dlq") MutinyEmitter<String> deadLetters, CampaignMetrics metrics) {
    this.campaign = campaign;
    this.convergence = convergence;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
  }

  @Incoming("ingested")
  @Blocking
  public CompletionStage<Void> consume(KafkaRecord<String, String> record) {
    if (!campaign.configured()) {
      return record.ack();
    }
    IngestedEvent event;
    try {
      event = EventJson.read(record.getPayload(), IngestedEvent.class);
      String problems = problems(event);
      if (!problems.isEmpty()) {
        throw new EventJson.MalformedEventException(problems);
      }
    } catch (EventJson.MalformedEventException e) {
      deadLetter(record, e);
      return record.ack();
    }
    if (campaign.repository().equals(event.repository())) {
      convergence.ingested(event);
    }
    return record.ack();
  }

  private static String problems(IngestedEvent event) {
    List<String> missing = new ArrayList<>();
    if (event.repository() == null || event.repository().isBlank()) {
      missing.add("repository");
    }
    if (event.run() == null || event.run().isBlank()) {
      missing.add("run");
    }
    if (event.datasetType() == null || event.datasetType().isBlank()) {
      missing.add("datasetType");
    }
    return missing.isEmpty() ? "" : "IngestedEvent without " + String.join(", ", missing);
  }

  /** The original value to {@code butler.ingested.dlq}, acknowledged by the broker before the record is. */
  private void deadLetter(KafkaRecord<String, String> record, Exception reason) {
    DeadLetter.of(record, reason).sendTo(deadLetters);
    metrics.deadLettered();
  }
}
