package dev.coffer.dataplane.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.SecretDeleted;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.dataplane.replication.RecentApplies;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApplyTimesPagesTest {
  private static final ShardId SHARD = ShardId.of("shard-1");
  private static final Instant AT = Instant.parse("2030-01-01T00:00:00Z");

  /** Five events, 20.0 … 24.0; event 2N.0 took N ms + 7 µs from append to apply. */
  static ApplyTimesPages fiveEvents() {
    RecentApplies times = new RecentApplies(16);
    List<PositionedEvent> batch = new ArrayList<>();
    Instant applied = AT.plusSeconds(1);
    for (int i = 0; i < 5; i++) {
      batch.add(
          new PositionedEvent(
              new LogPosition(20 + i, 0),
              new SecretDeleted(VaultName.of("payments"), SecretName.of("db"), 1, AT),
              applied.minusNanos(i * 1_000_000L + 7_000)));
    }
    times.applied(batch, applied);
    return new ApplyTimesPages(SHARD, times);
  }

  private final ApplyTimesPages pages = fiveEvents();

  @Test
  void pagesThroughEveryRememberedEventInLogOrder() {
    ApplyTimesPages.Page first = pages.page(null, "2");
    assertThat(first.shard()).isEqualTo("shard-1");
    assertThat(positions(first)).containsExactly("20.0", "21.0");
    assertThat(first.events().get(1).appendedToAppliedMicros()).isEqualTo(1_007);
    assertThat(first.next()).isEqualTo("shard-1:21.0");

    ApplyTimesPages.Page second = pages.page(first.next(), "2");
    assertThat(positions(second)).containsExactly("22.0", "23.0");

    ApplyTimesPages.Page last = pages.page(second.next(), "2");
    assertThat(positions(last)).containsExactly("24.0");
    assertThat(last.events().get(0).appendedToAppliedMicros()).isEqualTo(4_007);
    assertThat(last.next()).isNull();
  }

  @Test
  void aPositionBetweenEventsStartsAtTheNextOne() {
    assertThat(positions(pages.page("shard-1:22.5", null))).containsExactly("23.0", "24.0");
  }

  @Test
  void badOrForeignPositionsAndLimitsAreRefusedWithTheirCodes() {
    for (String after : List.of("", "22.0", "shard-1:x.1", "shard-2:22.0")) {
      assertThatThrownBy(() -> pages.page(after, null))
          .as(after)
          .isInstanceOfSatisfying(
              CofferException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REPLICATION_TOKEN));
    }
    for (String limit : List.of("0", "1001", "many")) {
      assertThatThrownBy(() -> pages.page(null, limit))
          .as(limit)
          .isInstanceOfSatisfying(
              CofferException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_REQUEST));
    }
  }

  private static List<String> positions(ApplyTimesPages.Page page) {
    return page.events().stream().map(ApplyTimesPages.Event::position).toList();
  }
}
