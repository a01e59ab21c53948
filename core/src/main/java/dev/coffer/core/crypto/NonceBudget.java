package dev.coffer.core.crypto;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Counts AES-GCM encryptions per key. With random 96-bit nonces NIST SP 800-38D allows at most 2^32
 * encryptions under one key; past that the chance of a repeated nonce, which breaks GCM, is no
 * longer negligible. A key is reported as due for rotation at a threshold well below that limit
 * (2^28 by default), and refused outright at the limit itself.
 *
 * <p>Counts live in this process: a key used by several processes is counted by each, so the
 * threshold is the share of the limit that one process may use. A caller that knows a key's uses so
 * far (from storage) passes them in with {@link #resume}.
 */
public final class NonceBudget {
  /** NIST SP 800-38D, section 8.3: invocations of random-nonce GCM per key. */
  public static final long RANDOM_NONCE_LIMIT = 1L << 32;

  public static final long DEFAULT_ROTATION_THRESHOLD = 1L << 28;

  /** The highest threshold accepted: half the limit, so rotation has room to happen. */
  public static final long MAX_ROTATION_THRESHOLD = RANDOM_NONCE_LIMIT / 2;

  private final long rotationThreshold;
  private final long limit;
  private final ConcurrentHashMap<KeyRef, AtomicLong> uses = new ConcurrentHashMap<>();
  private volatile Consumer<KeyRef> onRotationDue = key -> {};

  public NonceBudget(long rotationThreshold) {
    this(rotationThreshold, RANDOM_NONCE_LIMIT);
  }

  /** With a lower hard limit, so tests can reach it. */
  NonceBudget(long rotationThreshold, long limit) {
    if (rotationThreshold < 1 || rotationThreshold > MAX_ROTATION_THRESHOLD) {
      throw new IllegalArgumentException(
          "the rotation threshold must be between 1 and 2^31 encryptions per key");
    }
    if (limit <= rotationThreshold || limit > RANDOM_NONCE_LIMIT) {
      throw new IllegalArgumentException("the limit must lie above the threshold, at most 2^32");
    }
    this.rotationThreshold = rotationThreshold;
    this.limit = limit;
  }

  public static NonceBudget withDefaults() {
    return new NonceBudget(DEFAULT_ROTATION_THRESHOLD);
  }

  /** Called once per key, from the encryption that reaches the threshold. */
  public void onRotationDue(Consumer<KeyRef> listener) {
    this.onRotationDue = listener;
  }

  /** Starts a key's count from uses recorded elsewhere (never lowers it). */
  public void resume(KeyRef key, long usesSoFar) {
    uses.computeIfAbsent(key, k -> new AtomicLong()).accumulateAndGet(usesSoFar, Math::max);
  }

  /**
   * Records one encryption under {@code key}; call it before encrypting.
   *
   * @throws CofferException KEY_UNAVAILABLE when the key has reached the limit
   */
  void charge(KeyRef key) {
    AtomicLong count = uses.computeIfAbsent(key, k -> new AtomicLong());
    long n = count.incrementAndGet();
    if (n > limit) {
      count.decrementAndGet();
      throw new CofferException(
          ErrorCode.KEY_UNAVAILABLE,
          "Key " + key + " has reached its encryption limit and must be rotated.");
    }
    if (n == rotationThreshold) {
      onRotationDue.accept(key);
    }
  }

  public long uses(KeyRef key) {
    AtomicLong count = uses.get(key);
    return count == null ? 0 : count.get();
  }

  public long rotationThreshold() {
    return rotationThreshold;
  }

  public boolean rotationDue(KeyRef key) {
    return uses(key) >= rotationThreshold;
  }

  public Set<KeyRef> keysDueForRotation() {
    return uses.entrySet().stream()
        .filter(e -> e.getValue().get() >= rotationThreshold)
        .map(java.util.Map.Entry::getKey)
        .collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public String toString() {
    return "NonceBudget[threshold=" + rotationThreshold + ", keys=" + uses.size() + "]";
  }
}
