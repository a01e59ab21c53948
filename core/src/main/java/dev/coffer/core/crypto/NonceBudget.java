package dev.coffer.core.crypto;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.util.HashMap;
import java.util.Map;
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
 * <p>Counts live in this process. A key used by several processes (vault keys: every control plane
 * seals under them) is counted across them by whoever persists the counts: it takes the uses not
 * yet reported with {@link #takeUnreported}, adds them to the stored total, and passes the total
 * back with {@link #resume}, so that this process's count is the global one as of that moment.
 */
public final class NonceBudget {
  /** NIST SP 800-38D, section 8.3: invocations of random-nonce GCM per key. */
  public static final long RANDOM_NONCE_LIMIT = 1L << 32;

  public static final long DEFAULT_ROTATION_THRESHOLD = 1L << 28;

  /** The highest threshold accepted: half the limit, so rotation has room to happen. */
  public static final long MAX_ROTATION_THRESHOLD = RANDOM_NONCE_LIMIT / 2;

  private final long rotationThreshold;
  private final long limit;

  /** Uses of one key: all known ({@code total}), and those not yet taken for reporting. */
  private static final class Count {
    final AtomicLong total = new AtomicLong();
    final AtomicLong unreported = new AtomicLong();
  }

  private final ConcurrentHashMap<KeyRef, Count> uses = new ConcurrentHashMap<>();
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
    uses.computeIfAbsent(key, k -> new Count()).total.accumulateAndGet(usesSoFar, Math::max);
  }

  /**
   * The uses of each key since the last call, resetting them: what a reporter adds to the stored
   * totals. A caller that fails to store them gives them back with {@link #giveBack}.
   */
  public Map<KeyRef, Long> takeUnreported() {
    Map<KeyRef, Long> taken = new HashMap<>();
    uses.forEach(
        (key, count) -> {
          long n = count.unreported.getAndSet(0);
          if (n > 0) {
            taken.put(key, n);
          }
        });
    return taken;
  }

  /** Returns uses taken by {@link #takeUnreported} that could not be stored. */
  public void giveBack(KeyRef key, long unreported) {
    uses.computeIfAbsent(key, k -> new Count()).unreported.addAndGet(unreported);
  }

  /**
   * Records one encryption under {@code key}; call it before encrypting.
   *
   * @throws CofferException KEY_UNAVAILABLE when the key has reached the limit
   */
  void charge(KeyRef key) {
    Count count = uses.computeIfAbsent(key, k -> new Count());
    long n = count.total.incrementAndGet();
    if (n > limit) {
      count.total.decrementAndGet();
      throw new CofferException(
          ErrorCode.KEY_UNAVAILABLE,
          "Key " + key + " has reached its encryption limit and must be rotated.");
    }
    count.unreported.incrementAndGet();
    if (n == rotationThreshold) {
      onRotationDue.accept(key);
    }
  }

  public long uses(KeyRef key) {
    Count count = uses.get(key);
    return count == null ? 0 : count.total.get();
  }

  public long rotationThreshold() {
    return rotationThreshold;
  }

  public boolean rotationDue(KeyRef key) {
    return uses(key) >= rotationThreshold;
  }

  public Set<KeyRef> keysDueForRotation() {
    return uses.entrySet().stream()
        .filter(e -> e.getValue().total.get() >= rotationThreshold)
        .map(Map.Entry::getKey)
        .collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public String toString() {
    return "NonceBudget[threshold=" + rotationThreshold + ", keys=" + uses.size() + "]";
  }
}
