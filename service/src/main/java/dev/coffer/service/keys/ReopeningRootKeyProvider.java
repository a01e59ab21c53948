package dev.coffer.service.keys;

import dev.coffer.core.crypto.NonceBudget;
import dev.coffer.core.crypto.RootKeyProvider;
import dev.coffer.core.crypto.RootWrapping;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.service.config.RootKeyProviderConfig;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A configured provider that may be unreachable when the server starts (a keystore file not
 * mounted, an HSM down): the server starts anyway and unwraps through the other providers, while
 * this one is opened again on use, at most once per retry interval.
 */
final class ReopeningRootKeyProvider implements RootKeyProvider {
  private static final Logger LOG = LoggerFactory.getLogger(ReopeningRootKeyProvider.class);

  private final RootKeyProviderConfig config;
  private final NonceBudget budget;
  private final long retryNanos;
  private final LongSupplier clock;
  private volatile RootKeyProvider open;
  private long nextAttempt;
  private long nextReopen;
  private String lastFailure = "not opened yet";

  ReopeningRootKeyProvider(
      RootKeyProviderConfig config, NonceBudget budget, Duration retry, LongSupplier clock) {
    this.config = config;
    this.budget = budget;
    this.retryNanos = retry.toNanos();
    this.clock = clock;
    this.nextAttempt = clock.getAsLong();
    this.nextReopen = nextAttempt;
  }

  RootKeyProviderConfig config() {
    return config;
  }

  /** Tries to open now; failures are logged, not thrown. */
  boolean tryOpen() {
    try {
      current();
      return true;
    } catch (CofferException e) {
      return false;
    }
  }

  private RootKeyProvider current() {
    RootKeyProvider provider = open;
    if (provider != null) {
      return provider;
    }
    synchronized (this) {
      if (open != null) {
        return open;
      }
      long now = clock.getAsLong();
      if (now - nextAttempt < 0) {
        throw unavailable();
      }
      try {
        open = config.open(budget);
        LOG.info("Root key provider {} is open.", config);
        return open;
      } catch (RuntimeException e) {
        String reason =
            e instanceof CofferException ? e.getMessage() : e.getClass().getSimpleName();
        if (!reason.equals(lastFailure)) {
          LOG.warn("Root key provider {} cannot be opened: {}", config, reason);
        }
        lastFailure = reason;
        nextAttempt = now + retryNanos;
        throw unavailable();
      }
    }
  }

  private CofferException unavailable() {
    return new CofferException(
        ErrorCode.KEY_UNAVAILABLE,
        "Root key '" + config.keyId() + "' cannot be opened: " + lastFailure);
  }

  @Override
  public String keyId() {
    return config.keyId();
  }

  @Override
  public int keyVersion() {
    return current().keyVersion();
  }

  @Override
  public RootWrapping wrap(byte[] key, byte[] context) {
    return current().wrap(key, context);
  }

  /**
   * A wrapping that names a newer version than the open provider holds means the key was rotated
   * (by {@code root-rotate}) since it was opened: open it again, at most once per retry interval,
   * to load the new version.
   */
  @Override
  public byte[] unwrap(RootWrapping wrapping, byte[] context) {
    RootKeyProvider provider = current();
    if (wrapping.rootKey().version() > provider.keyVersion()) {
      provider = reopen(provider);
    }
    return provider.unwrap(wrapping, context);
  }

  private synchronized RootKeyProvider reopen(RootKeyProvider stale) {
    if (open != stale) {
      return open;
    }
    long now = clock.getAsLong();
    if (now - nextReopen < 0) {
      return stale;
    }
    nextReopen = now + retryNanos;
    try {
      RootKeyProvider fresh = config.open(budget);
      open = fresh;
      LOG.info("Root key provider {} opened again for version {}.", config, fresh.keyVersion());
      // The old instance may be in use by another thread; its keys go with the garbage.
      return fresh;
    } catch (RuntimeException e) {
      return stale;
    }
  }

  @Override
  public boolean isAvailable() {
    try {
      return current().isAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Why the provider is not open, or empty when it is. */
  java.util.Optional<String> failure() {
    synchronized (this) {
      return open == null ? java.util.Optional.of(lastFailure) : java.util.Optional.empty();
    }
  }

  @Override
  public void close() {
    RootKeyProvider provider = open;
    if (provider != null) {
      provider.close();
    }
  }

  @Override
  public String toString() {
    return config.toString();
  }
}
