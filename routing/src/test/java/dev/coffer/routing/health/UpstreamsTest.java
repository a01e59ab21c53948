package dev.coffer.routing.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Meter;
import dev.coffer.routing.table.Upstream;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UpstreamsTest {
  private static final Upstream A = new Upstream("127.0.0.1", 1001);
  private static final Upstream B = new Upstream("127.0.0.1", 1002);

  private final AtomicLong now = new AtomicLong();
  private final Meter ejections = new Meter();
  private final Upstreams upstreams = new Upstreams(3, Duration.ofSeconds(10), ejections, now::get);

  @Test
  void roundRobinSpreadsOverAvailableUpstreamsAndSkipsTriedOnes() {
    Set<Upstream> picked = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      picked.add(upstreams.pick(List.of(A, B), Set.of()).orElseThrow());
    }
    assertThat(picked).containsExactlyInAnyOrder(A, B);
    assertThat(upstreams.pick(List.of(A, B), Set.of(A))).contains(B);
    assertThat(upstreams.pick(List.of(A, B), Set.of(A, B))).isEmpty();
    assertThat(upstreams.pick(List.of(), Set.of())).isEmpty();
  }

  @Test
  void consecutiveFailuresEjectForTheCoolOffThenOneTrialFailureEjectsAgain() {
    upstreams.failed(A);
    upstreams.failed(A);
    assertThat(upstreams.available(A)).isTrue();
    upstreams.failed(A);
    assertThat(upstreams.available(A)).isFalse();
    assertThat(ejections.getCount()).isEqualTo(1);
    assertThat(upstreams.pick(List.of(A, B), Set.of())).contains(B);

    now.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(upstreams.available(A)).isTrue();
    upstreams.failed(A);
    assertThat(upstreams.available(A)).isFalse();
    assertThat(ejections.getCount()).isEqualTo(2);
  }

  @Test
  void aSuccessResetsTheCount() {
    upstreams.failed(A);
    upstreams.failed(A);
    upstreams.succeeded(A);
    upstreams.failed(A);
    upstreams.failed(A);
    assertThat(upstreams.available(A)).isTrue();
  }

  @Test
  void anUpstreamItsProbeCannotReachIsNotPicked() {
    upstreams.of(A).probed(false);
    assertThat(upstreams.pick(List.of(A, B), Set.of())).contains(B);
    assertThat(upstreams.pick(List.of(A), Set.of())).isEmpty();
    upstreams.of(A).probed(true);
    assertThat(upstreams.pick(List.of(A), Set.of())).contains(A);
  }
}
