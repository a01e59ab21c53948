package dev.coffer.service.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.util.Duration;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How Dropwizard reads a connector block of {@code type: mtls}, as any application would. */
class MtlsConnectorFactoryTest {
  @Test
  void theTypeIsDiscoveredAndTheHttpSettingsStillApply() throws Exception {
    ConnectorFactory connector =
        read(
            """
            type: mtls
            bindHost: 10.0.0.5
            port: 8410
            idleTimeout: 10s
            certificate: /etc/coffer/tls/host-1-a.crt
            key: /etc/coffer/tls/host-1-a.key
            caBundle: /etc/coffer/tls/ca.crt
            """);

    assertThat(connector).isInstanceOf(MtlsConnectorFactory.class);
    MtlsConnectorFactory mtls = (MtlsConnectorFactory) connector;
    assertThat(mtls.getBindHost()).isEqualTo("10.0.0.5");
    assertThat(mtls.getPort()).isEqualTo(8410);
    assertThat(mtls.getIdleTimeout()).isEqualTo(Duration.seconds(10));
    assertThat(mtls.files().caBundle()).hasToString("/etc/coffer/tls/ca.crt");
    assertThat(mtls.getReloadInterval()).isEqualTo(Duration.seconds(5));
    assertThat(mtls.getExpiryWarning().toJavaDuration()).isEqualTo(java.time.Duration.ofDays(14));
  }

  @Test
  void theIntervalAndTheWarningWindowCanBeSet() throws Exception {
    MtlsConnectorFactory mtls =
        (MtlsConnectorFactory)
            read(
                """
                type: mtls
                certificate: a.crt
                key: a.key
                caBundle: ca.crt
                reloadInterval: 30s
                expiryWarning: 30d
                """);

    assertThat(mtls.getReloadInterval()).isEqualTo(Duration.seconds(30));
    assertThat(mtls.getExpiryWarning().toJavaDuration()).isEqualTo(java.time.Duration.ofDays(30));
  }

  @Test
  void aConnectorWithoutItsFilesIsRefusedBeforeAnythingStarts() {
    assertThatThrownBy(() -> read("type: mtls\nport: 8410\ncertificate: a.crt\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("key")
        .hasMessageContaining("caBundle");
  }

  @Test
  void aZeroReloadIntervalIsRefused() {
    assertThatThrownBy(
            () ->
                read(
                    """
                    type: mtls
                    certificate: a.crt
                    key: a.key
                    caBundle: ca.crt
                    reloadInterval: 0s
                    """))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("reloadInterval");
  }

  private static ConnectorFactory read(String yaml) throws Exception {
    YamlConfigurationFactory<ConnectorFactory> factory =
        new YamlConfigurationFactory<>(
            ConnectorFactory.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");
    return factory.build(
        path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "config.yml");
  }
}
