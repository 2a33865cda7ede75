package io.autobutler.ingest.pipeline;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;

import io.autobutler.core.event.Topics;
import io.autobutler.core.messaging.DeadLetter;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Sends refused records to {@code rucio.replicas.dlq} or {@code rucio.datasets.dlq} by their source topic, as
 * {@link DeadLetter}s (the original value with why in the headers), and counts them. Each send waits for the broker's
 * acknowledgement, so that a batch is acknowledged only once its dead letters are safe.
 */
@ApplicationScoped
public class DeadLetters {

  private final MutinyEmitter<String> replicas;
  private final MutinyEmitter<String> datasets;
  private final IngestMetrics metrics;

  public DeadLetters(@Channel("replicas-dlq") MutinyEmitter<String> replicas,
                     @Channel("datasets-dlq") MutinyEmitter<String> datasets, IngestMetrics metrics) {
    this.replicas = replicas;
    this.datasets = datasets;
    this.metrics = metrics;
  }

  public void send(DeadLetter letter) {
    letter.sendTo(Topics.RUCIO_DATASETS.equals(letter.topic()) ? datasets : replicas);
    metrics.deadLettered(letter.topic());
  }
}
