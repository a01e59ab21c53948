package dev.coffer.dataplane.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.SecretDeleted;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.VaultName;
import dev.coffer.dataplane.read.ApplyTimes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The ring of recent apply times answers exactly like a map of the last {@code capacity} events
 * since the last restart of positions, for any batching, eviction and wrap-around.
 */
class RecentAppliesProperties {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final SecretDeleted EVENT =
      new SecretDeleted(VaultName.of("payments"), SecretName.of("db"), 1, T0);

  /** One applied batch: positions step forward (or, rarely, back: a rebuilt replica). */
  record Batch(List<Long> txSteps, boolean restart, long appliedMicros) {}

  @Test
  void answersLikeAMapOfTheLastEvents() {
    qt().withExamples(300)
        .forAll(Generate.range(1, 20), batches())
        .checkAssert(RecentAppliesProperties::answersLikeAMapOfTheLastEvents);
  }

  private static void answersLikeAMapOfTheLastEvents(int capacity, List<Batch> batches) {
    RecentApplies ring = new RecentApplies(capacity);
    LinkedHashMap<LogPosition, Duration> model = new LinkedHashMap<>();
    List<LogPosition> seen = new ArrayList<>();
    long tx = 100;
    long clock = 0;
    for (Batch batch : batches) {
      if (batch.restart()) {
        tx = Math.max(1, tx - 50);
      }
      List<PositionedEvent> events = new ArrayList<>();
      clock += batch.appliedMicros();
      Instant appliedAt = T0.plusNanos(clock * 1000);
      for (long step : batch.txSteps()) {
        tx += step;
        LogPosition position = new LogPosition(tx, step % 2);
        // Appended some microseconds before the apply; step 0 comes from a snapshot (no time).
        Instant appended = step == 0 ? Instant.EPOCH : appliedAt.minusNanos(step * 7_000);
        events.add(new PositionedEvent(position, EVENT, appended));
        seen.add(position);
      }
      ring.applying(events);
      ring.applied(events, appliedAt);
      for (PositionedEvent event : events) {
        if (event.appendedAt().equals(Instant.EPOCH)) {
          continue;
        }
        LogPosition last =
            model.isEmpty() ? null : List.copyOf(model.keySet()).get(model.size() - 1);
        if (last != null && event.position().compareTo(last) <= 0) {
          model.clear();
        }
        model.put(event.position(), Duration.between(event.appendedAt(), appliedAt));
        while (model.size() > capacity) {
          model.remove(model.keySet().iterator().next());
        }
      }
    }
    for (LogPosition position : seen) {
      assertThat(ring.appendedToApplied(position))
          .as("%s", position)
          .isEqualTo(Optional.ofNullable(model.get(position)));
    }
    List<LogPosition> asked = new ArrayList<>(seen);
    asked.add(LogPosition.ZERO);
    asked.add(new LogPosition(tx + 1, 0));
    for (LogPosition position : asked) {
      for (int limit : List.of(1, 3, capacity + 1)) {
        List<ApplyTimes.Applied> expected =
            model.entrySet().stream()
                .filter(e -> e.getKey().compareTo(position) > 0)
                .limit(limit)
                .map(e -> new ApplyTimes.Applied(e.getKey(), e.getValue()))
                .toList();
        assertThat(ring.after(position, limit))
            .as("after %s, limit %d", position, limit)
            .isEqualTo(expected);
      }
    }
  }

  private static Gen<List<Batch>> batches() {
    Gen<List<Long>> steps = lists().of(Generate.longRange(0, 3)).ofSizeBetween(0, 6);
    Gen<Boolean> restart = Generate.range(0, 9).map(i -> i == 0);
    Gen<Long> micros = Generate.longRange(1, 50_000);
    return lists().of(steps.zip(restart, micros, Batch::new)).ofSizeBetween(0, 30);
  }

  @Test
  void aStoreClockAheadOfTheHostsCountsAsNoDelayRatherThanANegativeOne() {
    RecentApplies ring = new RecentApplies(4);
    LogPosition position = new LogPosition(7, 0);

    ring.applied(List.of(new PositionedEvent(position, EVENT, T0.plusMillis(5))), T0);

    assertThat(ring.appendedToApplied(position)).contains(Duration.ZERO);
    assertThat(ring.appendedToApplied(new LogPosition(8, 0))).isEmpty();
  }

  @Test
  void aReadBetweenTheApplyAndItsRecordWaitsForTheRecord() throws Exception {
    RecentApplies ring = new RecentApplies(4);
    LogPosition position = new LogPosition(7, 0);
    List<PositionedEvent> batch = List.of(new PositionedEvent(position, EVENT, T0));
    ring.applying(batch);

    CompletableFuture<Optional<Duration>> asked =
        CompletableFuture.supplyAsync(() -> ring.appendedToApplied(position));
    Thread.sleep(10);
    ring.applied(batch, T0.plusMillis(3));

    assertThat(asked.get(5, TimeUnit.SECONDS)).contains(Duration.ofMillis(3));
  }

  @Test
  void aBatchThatIsNeverRecordedIsNotWaitedForLong() {
    RecentApplies ring = new RecentApplies(4);
    LogPosition position = new LogPosition(7, 0);
    ring.applying(List.of(new PositionedEvent(position, EVENT, T0)));

    long start = System.nanoTime();
    assertThat(ring.appendedToApplied(position)).isEmpty();
    assertThat(ring.appendedToApplied(new LogPosition(8, 0))).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aPageLimitBelowOneIsRefused() {
    assertThatThrownBy(() -> new RecentApplies(4).after(LogPosition.ZERO, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCapacityBelowOneIsRefused() {
    assertThatThrownBy(() -> new RecentApplies(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theOldestEventIsForgottenFirst() {
    RecentApplies ring = new RecentApplies(2);
    List<PositionedEvent> three = new ArrayList<>();
    for (long tx = 1; tx <= 3; tx++) {
      three.add(new PositionedEvent(new LogPosition(tx, 0), EVENT, T0));
    }

    ring.applied(three, T0.plusMillis(4));

    assertThat(ring.appendedToApplied(new LogPosition(1, 0))).isEmpty();
    assertThat(ring.appendedToApplied(new LogPosition(2, 0))).contains(Duration.ofMillis(4));
    assertThat(ring.appendedToApplied(new LogPosition(3, 0))).contains(Duration.ofMillis(4));
  }
}
