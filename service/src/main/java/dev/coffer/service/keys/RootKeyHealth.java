package dev.coffer.service.keys;

import com.codahale.metrics.health.HealthCheck;
import dev.coffer.core.crypto.RootKeyProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root key providers as one health check. Vault keys unwrap through whichever provider answers,
 * so a server with one provider down still reads: it must not look down to a load balancer or an
 * orchestrator that restarts unhealthy servers (which would make things worse, not better). The
 * check is therefore unhealthy only when no provider is available; with some down it stays healthy
 * and says "degraded", naming them. Each transition of a provider is logged once, by whoever
 * notices it first: this check, the availability gauge or the periodic refresh.
 */
final class RootKeyHealth extends HealthCheck {
  private static final Logger LOG = LoggerFactory.getLogger(RootKeyHealth.class);

  private final List<? extends RootKeyProvider> providers;

  /** The availability last seen per key id; absent before the first look. */
  private final Map<String, Boolean> lastSeen = new ConcurrentHashMap<>();

  RootKeyHealth(List<? extends RootKeyProvider> providers) {
    this.providers = List.copyOf(providers);
  }

  /** Asks one provider now and logs when its availability changed since it was last asked. */
  boolean observe(RootKeyProvider provider) {
    boolean available = provider.isAvailable();
    Boolean before = lastSeen.put(provider.keyId(), available);
    if (before != null && before != available) {
      logTransition(provider, available);
    }
    return available;
  }

  /** Asks every provider, in configuration order. */
  Map<RootKeyProvider, Boolean> observeAll() {
    Map<RootKeyProvider, Boolean> seen = new LinkedHashMap<>();
    for (RootKeyProvider provider : providers) {
      seen.put(provider, observe(provider));
    }
    return seen;
  }

  @Override
  protected Result check() {
    Map<RootKeyProvider, Boolean> seen = observeAll();
    List<String> down = new ArrayList<>();
    Map<String, Boolean> byKeyId = new LinkedHashMap<>();
    seen.forEach(
        (provider, available) -> {
          byKeyId.put(provider.keyId(), available);
          if (!available) {
            down.add(provider + " (" + reason(provider) + ")");
          }
        });
    int total = seen.size();
    ResultBuilder result =
        Result.builder().withDetail("providers", byKeyId).withDetail("degraded", !down.isEmpty());
    if (down.isEmpty()) {
      return result
          .healthy()
          .withMessage("all " + total + " root key providers are available")
          .build();
    }
    if (down.size() == total) {
      return result
          .unhealthy()
          .withMessage(
              "no root key provider is available, so no vault key can be unwrapped: "
                  + String.join("; ", down))
          .build();
    }
    return result
        .healthy()
        .withMessage(
            "degraded: "
                + down.size()
                + " of "
                + total
                + " root key providers unavailable: "
                + String.join("; ", down)
                + ". Vault keys unwrap through the others; new vault keys cannot be made until"
                + " every provider is back")
        .build();
  }

  private void logTransition(RootKeyProvider provider, boolean available) {
    if (available) {
      LOG.info("Root key provider {} is available again.", provider);
      return;
    }
    long others =
        providers.stream()
            .filter(p -> p != provider && Boolean.TRUE.equals(lastSeen.get(p.keyId())))
            .count();
    if (others > 0) {
      LOG.warn(
          "Root key provider {} became unavailable ({}); vault keys unwrap through the {} other"
              + " available provider(s), new vault keys cannot be made until it is back.",
          provider,
          reason(provider),
          others);
    } else {
      LOG.error(
          "Root key provider {} became unavailable ({}) and no other is available: vault keys"
              + " cannot be unwrapped.",
          provider,
          reason(provider));
    }
  }

  /** Why a provider is down, as far as it says: never key material or a PIN. */
  private static String reason(RootKeyProvider provider) {
    Optional<String> failure =
        provider instanceof ReopeningRootKeyProvider reopening
            ? reopening.failure()
            : Optional.empty();
    return failure.orElse("it does not answer");
  }
}
