package dev.coffer.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SupervisorTest {
  @Test
  void theBackOffDoublesFromOneSecondUpToThirtySeconds() {
    Supervisor.Policy policy = Supervisor.Policy.on(line -> {});

    assertThat(IntStream.rangeClosed(1, 8).mapToObj(policy::delayAfter).map(Duration::toSeconds))
        .containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
    assertThat(policy.delayAfter(1000)).isEqualTo(Duration.ofSeconds(30));
    assertThat(policy.stableAfter()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void testsAreNotSupervisedUnlessTheyAskForIt() {
    assertThat(LocalCluster.Options.forTests().supervision().enabled()).isFalse();
  }
}
