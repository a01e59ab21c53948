package dev.coffer.service.config;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.setup.Bootstrap;

/**
 * Lets configuration files name environment variables as {@code ${NAME}}, so that passphrases and
 * PINs can come from the environment instead of the file. Strict: a variable that is not set is a
 * start-up error naming it, not an empty passphrase.
 */
public final class EnvironmentSubstitution {
  private EnvironmentSubstitution() {}

  public static void install(Bootstrap<? extends Configuration> bootstrap) {
    bootstrap.setConfigurationSourceProvider(
        new SubstitutingSourceProvider(
            bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(true)));
  }
}
