package dev.coffer.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The probe reads a host's apply time from its Server-Timing header, and nothing else. */
class ServerTimingTest {
  @Test
  void readsTheApplyMetricsDurationInNanoseconds() {
    assertThat(ReplicationLagPhase.applyNanos("apply;dur=12.345")).isEqualTo(12_345_000);
    assertThat(ReplicationLagPhase.applyNanos("db;dur=3, apply;desc=\"x\";dur=0.007"))
        .isEqualTo(7_000);
  }

  @Test
  void anAbsentOrMalformedApplyTimeIsMinusOne() {
    assertThat(ReplicationLagPhase.applyNanos(null)).isEqualTo(-1);
    assertThat(ReplicationLagPhase.applyNanos("db;dur=3")).isEqualTo(-1);
    assertThat(ReplicationLagPhase.applyNanos("apply")).isEqualTo(-1);
    assertThat(ReplicationLagPhase.applyNanos("apply;dur=soon")).isEqualTo(-1);
  }
}
