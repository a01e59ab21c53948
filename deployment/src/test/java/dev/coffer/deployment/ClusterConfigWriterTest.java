package dev.coffer.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.dataplane.DataPlaneConfiguration.ReadAccessor;
import org.junit.jupiter.api.Test;

class ClusterConfigWriterTest {
  @Test
  void aHostsConfigurationFileSpellsTheReadAccessorInLowerCase() {
    assertThat(ClusterConfigWriter.configured(ReadAccessor.LOCAL)).isEqualTo("local");
    assertThat(ClusterConfigWriter.configured(ReadAccessor.REMOTE)).isEqualTo("remote");
  }
}
