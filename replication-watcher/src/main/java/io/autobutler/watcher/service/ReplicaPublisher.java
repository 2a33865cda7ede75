package io.autobutler.watcher.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.autobutler.core.event.EventJson;
import io.autobutler.core.event.ReplicaEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Publishes replica events on {@code rucio.replicas}, keyed by Rucio dataset, and waits for the broker's ack. */
@ApplicationScoped
public class ReplicaPublisher {

  private final MutinyEmitter<String> replicas;

  public ReplicaPublisher(@Channel("replicas") MutinyEmitter<String> replicas) {
    this.replicas = replicas;
  }

  /** Validates every event first, so that a bad one in a list publishes none of them. */
  public Uni<Void> publish(List<ReplicaEvent> events) {
    for (int i = 0; i < events.size(); i++) {
      ReplicaEvent event = events.get(i);
      String problems = event == null ? "the event is null" : event.problems();
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("replica event " + (i + 1) + " of " + events.size() + ": " + problems);
      }
    }
    List<Uni<Void>> sends = events.stream()
        .map(event -> replicas.sendMessage(Message.of(EventJson.write(event))
            .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key()).build())))
        .toList();
    return sends.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(sends).andFailFast().replaceWithVoid();
  }
}
