package dev.coffer.service.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.health.HealthCheck;
import dev.coffer.core.crypto.SealedSecret;
import dev.coffer.core.crypto.SecretIdentity;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.VaultName;
import dev.coffer.service.config.Configs;
import dev.coffer.service.config.RootOfTrustConfig;
import io.dropwizard.core.setup.Environment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real keystore files as the providers; one of them goes missing. */
class KeyHierarchyTest {
  private static final VaultName VAULT = VaultName.of("payments");
  private static final SecretIdentity IDENTITY =
      new SecretIdentity(VAULT, SecretName.of("db-password"), 1);

  @TempDir Path dir;

  private RootOfTrustConfig config() throws Exception {
    return Configs.rootOfTrust(
        """
        providers:
          - {type: keystore, keyId: first, path: %s, passphrase: first-pass-zq7x}
          - {type: keystore, keyId: second, path: %s, passphrase: second-pass-zq7x}
        """
            .formatted(dir.resolve("first.p12"), dir.resolve("second.p12")));
  }

  @Test
  void readsFailOverWhenAProviderCannotBeOpenedAtStart() throws Exception {
    RootOfTrustConfig config = config();
    config.providers().forEach(p -> p.createKey());
    WrappedVaultKey vaultKey;
    SealedSecret sealed;
    try (KeyHierarchy keys = KeyHierarchy.open(config)) {
      vaultKey = keys.crypto().newVaultKey(VAULT);
      sealed = keys.crypto().seal(IDENTITY, vaultKey, SecretValue.ofUtf8("correct horse"));
      assertThat(keys.status()).allMatch(KeyHierarchy.ProviderStatus::available);
    }

    Files.move(dir.resolve("first.p12"), dir.resolve("first.p12.away"));
    try (KeyHierarchy keys = KeyHierarchy.open(config)) {
      assertThat(keys.crypto().open(IDENTITY, vaultKey, sealed).asUtf8().orElseThrow())
          .isEqualTo("correct horse");
      assertThat(keys.status())
          .extracting(KeyHierarchy.ProviderStatus::available)
          .containsExactly(false, true);
      assertThat(keys.status().get(0).failure())
          .hasValueSatisfying(reason -> assertThat(reason).contains("does not exist"));
      // A new vault key needs every provider: less redundancy must not happen silently.
      assertThatThrownBy(() -> keys.crypto().newVaultKey(VaultName.of("other")))
          .isInstanceOfSatisfying(
              CofferException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.KEY_UNAVAILABLE));
    }
  }

  @Test
  void aProviderThatComesBackIsOpenedOnUseAfterTheRetryInterval() throws Exception {
    RootOfTrustConfig config = config();
    long[] now = {0};
    ReopeningRootKeyProvider provider =
        new ReopeningRootKeyProvider(
            config.providers().get(0),
            dev.coffer.core.crypto.NonceBudget.withDefaults(),
            java.time.Duration.ofSeconds(10),
            () -> now[0]);
    assertThat(provider.isAvailable()).isFalse();
    config.providers().get(0).createKey();
    assertThat(provider.isAvailable()).as("within the retry interval").isFalse();
    now[0] += java.time.Duration.ofSeconds(11).toNanos();
    assertThat(provider.isAvailable()).isTrue();
    assertThat(provider.keyVersion()).isEqualTo(1);
    provider.close();
  }

  @Test
  void aRotatedRootKeyIsLoadedWhenAWrappingNamesItsNewVersion() throws Exception {
    RootOfTrustConfig config = config();
    config.providers().forEach(p -> p.createKey());
    try (KeyHierarchy running = KeyHierarchy.open(config)) {
      config.providers().forEach(p -> p.createKey());
      WrappedVaultKey rotated;
      try (KeyHierarchy operator = KeyHierarchy.open(config)) {
        rotated = operator.crypto().newVaultKey(VAULT);
        assertThat(rotated.wrappedBy())
            .extracting(dev.coffer.core.crypto.KeyRef::version)
            .containsOnly(2);
      }
      SealedSecret sealed = running.crypto().seal(IDENTITY, rotated, SecretValue.ofUtf8("v2"));
      assertThat(running.crypto().open(IDENTITY, rotated, sealed).asUtf8().orElseThrow())
          .isEqualTo("v2");
      assertThat(running.status())
          .extracting(s -> s.keyVersion().orElseThrow())
          .as("the provider that unwrapped it has loaded version 2")
          .contains(2);
    }
  }

  @Test
  void aServerMissingOneProviderIsHealthyButDegradedAndMissingAllIsUnhealthy() throws Exception {
    RootOfTrustConfig config = config();
    config.providers().forEach(p -> p.createKey());
    Files.move(dir.resolve("first.p12"), dir.resolve("first.p12.away"));
    Environment environment = new Environment("test");
    try (KeyHierarchy keys = KeyHierarchy.open(config)) {
      keys.register(environment);

      assertThat(environment.healthChecks().getNames())
          .contains(KeyHierarchy.HEALTH_CHECK)
          .as("no check per provider, which would turn the server red")
          .noneMatch(name -> name.startsWith("root-key-"));
      HealthCheck.Result health = environment.healthChecks().runHealthCheck("root-keys");
      assertThat(health.isHealthy()).isTrue();
      assertThat(health.getMessage())
          .startsWith("degraded")
          .contains("keystore root key 'first'")
          .contains("does not exist")
          .doesNotContain("first-pass-zq7x");
      assertThat(environment.metrics().getGauges())
          .hasEntrySatisfying(
              "coffer.root-key.first.available", g -> assertThat(g.getValue()).isEqualTo(0))
          .hasEntrySatisfying(
              "coffer.root-key.second.available", g -> assertThat(g.getValue()).isEqualTo(1));
    }

    Files.move(dir.resolve("second.p12"), dir.resolve("second.p12.away"));
    try (KeyHierarchy keys = KeyHierarchy.open(config)) {
      HealthCheck.Result health = keys.health().execute();
      assertThat(health.isHealthy()).isFalse();
      assertThat(health.getMessage()).startsWith("no root key provider is available");
    }
  }
}
