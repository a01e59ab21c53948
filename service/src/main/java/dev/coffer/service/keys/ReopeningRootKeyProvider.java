package dev.coffer.service.keys;

import dev.coffer.core.crypto.NonceBudget;
import dev.coffer.core.crypto.RootKeyProvider;
import dev.coffer.core.crypto.RootWrapping;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.service.config.RootKeyProviderConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A configured provider that may be unreachable when the server starts (a keystore file not
 * mounted, an HSM down): the server starts anyway and unwraps through the other providers, while
 * this one is opened again on use, at most once per retry interval. It is also opened again to load
 * a rotated root key; the instance it replaces is closed (its keys wiped) when the last call using
 * it returns.
 */
final class ReopeningRootKeyProvider implements RootKeyProvider {
  private static final Logger LOG = LoggerFactory.getLogger(ReopeningRootKeyProvider.class);

  private final RootKeyProviderConfig config;
  private final Supplier<RootKeyProvider> opener;
  private final long retryNanos;
  private final LongSupplier clock;
  private volatile Opened open;
  private volatile boolean closed;
  private long nextAttempt;
  private long nextReopen;
  private String lastFailure = "not opened yet";

  ReopeningRootKeyProvider(
      RootKeyProviderConfig config, NonceBudget budget, Duration retry, LongSupplier clock) {
    this(config, () -> config.open(budget), retry, clock);
  }

  /** With {@code opener} standing in for {@code config.open}, for tests. */
  ReopeningRootKeyProvider(
      RootKeyProviderConfig config,
      Supplier<RootKeyProvider> opener,
      Duration retry,
      LongSupplier clock) {
    this.config = config;
    this.opener = opener;
    this.retryNanos = retry.toNanos();
    this.clock = clock;
    this.nextAttempt = clock.getAsLong();
    this.nextReopen = nextAttempt;
  }

  /**
   * An opened provider and the calls using it. The count starts at one for being the current
   * instance; a reopen or close gives that up, and whoever brings the count to zero closes the
   * provider, which wipes its key material. So a replaced instance is closed as soon as, and not
   * before, the last call that was using it returns.
   */
  private static final class Opened {
    final RootKeyProvider provider;
    private final AtomicInteger users = new AtomicInteger(1);

    Opened(RootKeyProvider provider) {
      this.provider = provider;
    }

    /** False once the count has reached zero: the provider is closed or closing. */
    boolean acquire() {
      for (int n = users.get(); n > 0; n = users.get()) {
        if (users.compareAndSet(n, n + 1)) {
          return true;
        }
      }
      return false;
    }

    void release() {
      if (users.decrementAndGet() == 0) {
        provider.close();
      }
    }
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

  private Opened current() {
    Opened opened = open;
    if (opened != null) {
      return opened;
    }
    synchronized (this) {
      if (open != null) {
        return open;
      }
      if (closed) {
        throw closedError();
      }
      long now = clock.getAsLong();
      if (now - nextAttempt < 0) {
        throw unavailable();
      }
      try {
        open = new Opened(opener.get());
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

  /**
   * The current instance, counted as in use until released. An instance replaced between reading
   * and counting may already be closed; the field then holds its successor, so ask again.
   */
  private Opened acquire() {
    while (true) {
      if (closed) {
        throw closedError();
      }
      Opened opened = current();
      if (opened.acquire()) {
        return opened;
      }
    }
  }

  private <T> T withCurrent(Function<RootKeyProvider, T> call) {
    Opened opened = acquire();
    try {
      return call.apply(opened.provider);
    } finally {
      opened.release();
    }
  }

  private CofferException unavailable() {
    return new CofferException(
        ErrorCode.KEY_UNAVAILABLE,
        "Root key '" + config.keyId() + "' cannot be opened: " + lastFailure);
  }

  private CofferException closedError() {
    return new CofferException(
        ErrorCode.KEY_UNAVAILABLE, "Root key '" + config.keyId() + "' is no longer open.");
  }

  @Override
  public String keyId() {
    return config.keyId();
  }

  @Override
  public int keyVersion() {
    return withCurrent(RootKeyProvider::keyVersion);
  }

  @Override
  public RootWrapping wrap(byte[] key, byte[] context) {
    return withCurrent(provider -> provider.wrap(key, context));
  }

  /**
   * A wrapping that names a newer version than the open provider holds means the key was rotated
   * (by {@code root-rotate}) since it was opened: open it again, at most once per retry interval,
   * to load the new version.
   */
  @Override
  public byte[] unwrap(RootWrapping wrapping, byte[] context) {
    Opened opened = acquire();
    try {
      if (wrapping.rootKey().version() <= opened.provider.keyVersion()) {
        return opened.provider.unwrap(wrapping, context);
      }
      reopen(opened);
      // The fresh instance if the reopen happened (here or in another thread), else this one.
      return withCurrent(provider -> provider.unwrap(wrapping, context));
    } finally {
      opened.release();
    }
  }

  private synchronized void reopen(Opened stale) {
    if (open != stale || closed) {
      return;
    }
    long now = clock.getAsLong();
    if (now - nextReopen < 0) {
      return;
    }
    nextReopen = now + retryNanos;
    RootKeyProvider fresh;
    try {
      fresh = opener.get();
    } catch (RuntimeException e) {
      return;
    }
    open = new Opened(fresh);
    LOG.info("Root key provider {} opened again for version {}.", config, fresh.keyVersion());
    // The old instance stops being current; it closes when the last call using it returns.
    stale.release();
  }

  @Override
  public boolean isAvailable() {
    try {
      return withCurrent(RootKeyProvider::isAvailable);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Why the provider is not open, or empty when it is. */
  java.util.Optional<String> failure() {
    synchronized (this) {
      if (closed) {
        return java.util.Optional.of("closed");
      }
      return open == null ? java.util.Optional.of(lastFailure) : java.util.Optional.empty();
    }
  }

  /** Closes the current instance once the calls using it return; later calls fail. */
  @Override
  public void close() {
    Opened opened;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      opened = open;
    }
    if (opened != null) {
      opened.release();
    }
  }

  @Override
  public String toString() {
    return config.toString();
  }
}
