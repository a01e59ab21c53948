package dev.coffer.core.crypto;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a provider and can be switched off, failing the way an unreachable HSM does (as Vault's
 * error-injecting physical backend does for storage). Counts the calls that reached the delegate.
 */
public final class FailingRootKeyProvider implements RootKeyProvider {
  private final RootKeyProvider delegate;
  private volatile boolean down;
  private final AtomicInteger unwraps = new AtomicInteger();

  public FailingRootKeyProvider(RootKeyProvider delegate) {
    this.delegate = delegate;
  }

  public FailingRootKeyProvider down() {
    down = true;
    return this;
  }

  public FailingRootKeyProvider up() {
    down = false;
    return this;
  }

  /** Unwraps that reached the delegate. */
  public int unwraps() {
    return unwraps.get();
  }

  @Override
  public String keyId() {
    return delegate.keyId();
  }

  @Override
  public int keyVersion() {
    return delegate.keyVersion();
  }

  @Override
  public RootWrapping wrap(byte[] key, byte[] context) {
    failIfDown();
    return delegate.wrap(key, context);
  }

  @Override
  public byte[] unwrap(RootWrapping wrapping, byte[] context) {
    failIfDown();
    unwraps.incrementAndGet();
    return delegate.unwrap(wrapping, context);
  }

  @Override
  public boolean isAvailable() {
    return !down && delegate.isAvailable();
  }

  @Override
  public void close() {
    delegate.close();
  }

  private void failIfDown() {
    if (down) {
      throw new CofferException(
          ErrorCode.KEY_UNAVAILABLE, "Root key '" + keyId() + "' cannot be reached.");
    }
  }

  @Override
  public String toString() {
    return "FailingRootKeyProvider[" + delegate + (down ? ", down" : "") + "]";
  }
}
