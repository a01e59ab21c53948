package dev.coffer.service.config;

import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.nio.charset.StandardCharsets;

/**
 * Reads a {@code rootOfTrust} block as Dropwizard reads configuration: Jackson, then validation.
 */
public final class Configs {
  private Configs() {}

  public static RootOfTrustConfig rootOfTrust(String yaml) throws Exception {
    YamlConfigurationFactory<RootOfTrustConfig> factory =
        new YamlConfigurationFactory<>(
            RootOfTrustConfig.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");
    return factory.build(
        path -> new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
        "config.yml");
  }
}
