package dev.coffer.service.keys;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import dev.coffer.core.crypto.EnvelopeSecretCrypto;
import dev.coffer.core.crypto.NonceBudget;
import dev.coffer.core.crypto.RecoveryPublicKey;
import dev.coffer.core.crypto.RootKeyProvider;
import dev.coffer.core.crypto.RootOfTrust;
import dev.coffer.core.crypto.SecretCrypto;
import dev.coffer.service.config.RootKeyProviderConfig;
import dev.coffer.service.config.RootOfTrustConfig;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key hierarchy a server runs with, built from its {@code rootOfTrust} configuration: the one
 * place applications and operator commands get their {@link SecretCrypto} and {@link RootOfTrust}
 * from. Providers that cannot be opened at start are retried on use, so a server starts and reads
 * with any one provider reachable.
 */
public final class KeyHierarchy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KeyHierarchy.class);
  private static final Duration RETRY = Duration.ofSeconds(10);
  private static final Duration HEALTH_REFRESH = Duration.ofSeconds(10);

  /** The name of the health check on the admin port's {@code /healthcheck}. */
  public static final String HEALTH_CHECK = "root-keys";

  /** One provider as an operator sees it. */
  public record ProviderStatus(
      RootKeyProviderConfig config,
      boolean available,
      Optional<Integer> keyVersion,
      Optional<String> failure) {}

  private final List<ReopeningRootKeyProvider> providers;
  private final RootOfTrust roots;
  private final SecretCrypto crypto;
  private final NonceBudget budget;
  private final RootKeyHealth health;

  private KeyHierarchy(
      List<ReopeningRootKeyProvider> providers,
      Optional<RecoveryPublicKey> recovery,
      Duration cacheLifetime,
      NonceBudget budget) {
    this.providers = List.copyOf(providers);
    this.roots = new RootOfTrust(List.copyOf(providers), recovery);
    this.crypto = new EnvelopeSecretCrypto(roots, cacheLifetime, budget);
    this.budget = budget;
    this.health = new RootKeyHealth(providers);
  }

  /**
   * Opens every provider that can be opened now and reads the recovery public key.
   *
   * @throws IllegalStateException when the recovery public key is configured but unusable
   */
  public static KeyHierarchy open(RootOfTrustConfig config) {
    NonceBudget budget = new NonceBudget(config.encryptionsBeforeRotation());
    List<ReopeningRootKeyProvider> providers = new ArrayList<>();
    for (RootKeyProviderConfig provider : config.providers()) {
      providers.add(new ReopeningRootKeyProvider(provider, budget, RETRY, System::nanoTime));
    }
    Optional<RecoveryPublicKey> recovery = config.recoveryPublicKey();
    KeyHierarchy hierarchy =
        new KeyHierarchy(providers, recovery, config.vaultKeyCacheLifetime(), budget);
    long open = providers.stream().filter(ReopeningRootKeyProvider::tryOpen).count();
    if (open < providers.size()) {
      LOG.warn(
          "{} of {} root key providers are open; vault keys unwrap through the others.",
          open,
          providers.size());
    }
    if (recovery.isEmpty()) {
      LOG.warn(
          "No recovery public key is configured: vault keys are lost if every root key"
              + " provider is. Run recovery-init and set rootOfTrust.recoveryPublicKey.");
    }
    return hierarchy;
  }

  public SecretCrypto crypto() {
    return crypto;
  }

  /** The encryption counts of every key this process has used. */
  public NonceBudget budget() {
    return budget;
  }

  public RootOfTrust roots() {
    return roots;
  }

  public List<ProviderStatus> status() {
    List<ProviderStatus> out = new ArrayList<>();
    for (ReopeningRootKeyProvider provider : providers) {
      boolean available = provider.isAvailable();
      Optional<Integer> version = Optional.empty();
      if (available) {
        try {
          version = Optional.of(provider.keyVersion());
        } catch (RuntimeException e) {
          available = false;
        }
      }
      out.add(
          new ProviderStatus(
              provider.config(),
              available,
              version,
              available
                  ? Optional.empty()
                  : provider.failure().or(() -> Optional.of("unavailable"))));
    }
    return out;
  }

  /**
   * The {@code root-keys} health check, an availability gauge per provider, a refresh every {@link
   * #HEALTH_REFRESH} so that a provider going down or coming back is logged even when nobody asks,
   * and closing on shutdown. One provider down leaves the server healthy (reads fail over); see
   * {@link RootKeyHealth}.
   */
  public void register(Environment environment) {
    // Managed objects stop in reverse order: the refresh stops before the providers close.
    environment
        .lifecycle()
        .manage(
            new Managed() {
              @Override
              public void stop() {
                close();
              }
            });
    environment.healthChecks().register(HEALTH_CHECK, health);
    for (ReopeningRootKeyProvider provider : providers) {
      environment
          .metrics()
          .register(
              MetricRegistry.name("coffer", "root-key", provider.keyId(), "available"),
              (Gauge<Integer>) () -> health.observe(provider) ? 1 : 0);
    }
    health.observeAll();
    ScheduledExecutorService refresh =
        environment.lifecycle().scheduledExecutorService("root-key-health").threads(1).build();
    // Stopped by shutting the executor down; the task catches its own failures.
    var unused =
        refresh.scheduleWithFixedDelay(
            this::refreshHealth,
            HEALTH_REFRESH.toMillis(),
            HEALTH_REFRESH.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /** The health of the root key providers, as {@link #register} publishes it. */
  public HealthCheck health() {
    return health;
  }

  private void refreshHealth() {
    try {
      health.observeAll();
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again; the next round may succeed.
      LOG.warn("Checking the root key providers failed: {}", e.getClass().getSimpleName());
    }
  }

  @Override
  public void close() {
    providers.forEach(RootKeyProvider::close);
  }
}
