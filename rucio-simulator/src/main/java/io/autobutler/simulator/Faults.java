package io.autobutler.simulator;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Faults to answer the next Rucio API requests with, in order: an HTTP error in Rucio's form, or a 200 whose body
 * is not what Rucio sends. Admin and file requests are never affected.
 */
final class Faults {

  /** What the next request gets instead of its answer. */
  enum Kind { ERROR, GARBAGE }

  record Fault(Kind kind, int status) {
  }

  private final Deque<Fault> queued = new ArrayDeque<>();

  synchronized void add(Kind kind, int status, int count) {
    for (int i = 0; i < count; i++) {
      queued.add(new Fault(kind, status));
    }
  }

  synchronized Fault next() {
    return queued.poll();
  }

  synchronized int pending() {
    return queued.size();
  }

  synchronized void clear() {
    queued.clear();
  }
}
