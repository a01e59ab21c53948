package dev.coffer.controlplane.rotation;

import com.google.common.util.concurrent.RateLimiter;
import dev.coffer.core.audit.KeyAuditEntry;
import dev.coffer.core.audit.KeyOperation;
import dev.coffer.core.crypto.SecretCrypto;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.KeyAuditLog;
import dev.coffer.core.storage.VaultKeyStore;
import dev.coffer.placement.ShardDirectory;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewraps data keys to their vault's primary key version after a rotation, in the background and at
 * a bounded rate (Guava's {@link RateLimiter}, shared by every vault this control plane works on).
 * All state is in the shard stores — the target, a bookmark advanced with each committed batch — so
 * the job resumes after a crash or on another control plane, and a second control plane skips a
 * vault the first is working on.
 */
public final class RewrapJob implements Managed, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RewrapJob.class);
  static final String ACTOR = "rewrap-job";

  private final ShardDirectory shards;
  private final SecretCrypto crypto;
  private final KeyAuditLog audit;
  private final RateLimiter limiter;
  private final int batchSize;
  private final Duration pollInterval;
  private final ScheduledExecutorService executor;
  private final AtomicLong rewrapped = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean started;

  public RewrapJob(
      ShardDirectory shards,
      SecretCrypto crypto,
      KeyAuditLog audit,
      int rewrapPerSecond,
      int batchSize,
      Duration pollInterval) {
    this.shards = shards;
    this.crypto = crypto;
    this.audit = audit;
    this.limiter = RateLimiter.create(rewrapPerSecond);
    this.batchSize = Math.min(batchSize, rewrapPerSecond);
    this.pollInterval = pollInterval;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "vault-key-rewrap");
              thread.setDaemon(true);
              return thread;
            });
  }

  @Override
  public void start() {
    started = true;
    // Stopped by shutting the executor down; the task catches its own failures.
    var unused =
        executor.scheduleWithFixedDelay(
            this::runOnce, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Looks for work now rather than at the next poll: a rotation just started one. A job that was
   * not started stays idle: whoever runs it by hand must be the only one working.
   */
  public void wake() {
    if (started && !executor.isShutdown()) {
      executor.execute(this::runOnce);
    }
  }

  /** Data keys rewrapped by this process. */
  public long rewrapped() {
    return rewrapped.get();
  }

  /** Batches that failed (and will be retried). */
  public long failures() {
    return failures.get();
  }

  /** Works every unfinished rewrap of every shard until each is finished or fails. */
  void runOnce() {
    for (ShardDirectory.Shard shard : shards.all().values()) {
      try {
        for (VaultName vault : shard.keys().unfinishedRewraps()) {
          drain(shard.keys(), vault);
        }
      } catch (RuntimeException e) {
        // Caught whatever it is: an exception escaping would cancel the schedule for good.
        failures.incrementAndGet();
        // The code or type only: a lower layer's message could quote stored data.
        LOG.warn(
            "Rewrapping data keys on shard {} failed ({}); retrying in {}",
            shard.id(),
            e instanceof CofferException ce ? ce.code() : e.getClass().getSimpleName(),
            pollInterval);
      }
    }
  }

  private void drain(VaultKeyStore keys, VaultName vault) {
    while (!executor.isShutdown()) {
      limiter.acquire(batchSize);
      Optional<VaultKeyStore.RewrapBatch> batch =
          keys.rewrapBatch(vault, batchSize, crypto::rewrapDataKey);
      if (batch.isEmpty()) {
        return; // finished meanwhile, or another control plane holds it
      }
      rewrapped.addAndGet(batch.get().rewrapped());
      if (batch.get().finished()) {
        int target = batch.get().targetVersion();
        audit.append(
            KeyAuditEntry.succeeded(
                ACTOR,
                KeyOperation.VAULT_KEY_REWRAP_FINISHED,
                "vault/" + vault + "/key/v" + target));
        LOG.info("Every data key of vault {} is wrapped by key version {}", vault, target);
        return;
      }
    }
  }

  @Override
  public void stop() {
    close();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
