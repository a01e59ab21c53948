package dev.coffer.controlplane.rotation;

import dev.coffer.core.crypto.KeyRef;
import dev.coffer.core.crypto.NonceBudget;
import dev.coffer.core.crypto.VaultKeyRefs;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.VaultKeyStore;
import dev.coffer.placement.ShardDirectory;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists how many encryptions this control plane made under each vault key version, adopts the
 * total every control plane reported (so the count survives restarts and is shared), and rotates a
 * vault key whose primary version is due. Reports run on a timer, batching what many puts used,
 * rather than adding a counter update to every put.
 */
public final class KeyUsageReporter implements Managed, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KeyUsageReporter.class);
  static final String ACTOR = "nonce-budget";

  private final NonceBudget budget;
  private final ShardDirectory shards;
  private final VaultKeyRotation rotation;
  private final boolean automatic;
  private final Duration interval;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "vault-key-usage");
            thread.setDaemon(true);
            return thread;
          });

  public KeyUsageReporter(
      NonceBudget budget,
      ShardDirectory shards,
      VaultKeyRotation rotation,
      boolean automatic,
      Duration interval) {
    this.budget = budget;
    this.shards = shards;
    this.rotation = rotation;
    this.automatic = automatic;
    this.interval = interval;
  }

  @Override
  public void start() {
    // Stopped by shutting the executor down; the task catches its own failures.
    var unused =
        executor.scheduleWithFixedDelay(
            this::reportSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void reportSafely() {
    try {
      report();
    } catch (RuntimeException e) {
      // Caught whatever it is: an exception escaping would cancel the schedule for good.
      LOG.warn("Reporting vault key use failed ({})", e.getClass().getSimpleName());
    }
  }

  /** Reports every vault key's uses since the last report; rotates keys that are due. */
  void report() {
    for (Map.Entry<KeyRef, Long> used : budget.takeUnreported().entrySet()) {
      KeyRef key = used.getKey();
      // Root keys are counted in this process only: rotating them is the operators' decision.
      Optional<VaultName> vault = VaultKeyRefs.vaultOf(key);
      if (vault.isEmpty()) {
        continue;
      }
      VaultKeyStore keys;
      long total;
      try {
        keys = shards.shardOf(vault.get()).keys();
        total = keys.recordEncryptions(vault.get(), key.version(), used.getValue());
      } catch (CofferException e) {
        budget.giveBack(key, used.getValue());
        LOG.warn("Could not record the use of {} ({}); retrying in {}", key, e.code(), interval);
        continue;
      }
      budget.resume(key, total);
      if (automatic && budget.rotationDue(key)) {
        rotateIfPrimary(keys, vault.get(), key);
      }
    }
  }

  /** A retired version that is due needs nothing: new writes already use another. */
  private void rotateIfPrimary(VaultKeyStore keys, VaultName vault, KeyRef key) {
    try {
      boolean primary =
          keys.status(vault).versions().stream()
              .anyMatch(v -> v.primary() && v.version() == key.version());
      if (primary) {
        int next = rotation.rotate(ACTOR, vault).primaryVersion();
        LOG.info(
            "Rotated vault {}'s key to version {}: version {} reached {} encryptions",
            vault,
            next,
            key.version(),
            budget.uses(key));
      }
    } catch (CofferException e) {
      LOG.warn(
          "Automatic rotation of {} failed ({}); retried when its next use is reported",
          key,
          e.code());
    }
  }

  @Override
  public void stop() {
    close();
  }

  /** Stops, reporting what is left, so a clean restart loses no counts. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reportSafely();
  }
}
