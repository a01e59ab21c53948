package dev.coffer.controlplane.vault;

import dev.coffer.core.model.ShardId;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which shard stores answer, for placing new vaults: a vault placed on a shard whose database is
 * down cannot be created. Known without a round trip per request, from two sources (as a load
 * balancer's health checks plus passive ejection): a background probe of every store at a fixed
 * interval, each bounded by a timeout, and any request that found a store unavailable, which marks
 * it down at once until a probe sees it answer again.
 *
 * <p>A shard counts as healthy until something says otherwise, so a control plane that has not
 * probed yet places vaults as it did before.
 */
public final class ShardHealth implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(ShardHealth.class);

  private final Map<ShardId, Runnable> probes;
  private final Duration interval;
  private final Duration timeout;
  private final Map<ShardId, Boolean> down = new ConcurrentHashMap<>();
  private final Map<ShardId, Future<?>> inFlight = new ConcurrentHashMap<>();
  private ScheduledExecutorService timer;
  private ExecutorService probing;

  /**
   * @param probes per shard, a cheap call to its store that throws when the store does not answer
   */
  public ShardHealth(Map<ShardId, Runnable> probes, Duration interval, Duration timeout) {
    this.probes = Map.copyOf(probes);
    this.interval = interval;
    this.timeout = timeout;
  }

  /** Only what requests report: no probes, so a shard marked down stays down. */
  public static ShardHealth passive() {
    return new ShardHealth(Map.of(), Duration.ofDays(1), Duration.ofSeconds(1));
  }

  public boolean healthy(ShardId shard) {
    return !down.getOrDefault(shard, false);
  }

  /** A request found the shard's store unavailable. */
  public void failed(ShardId shard) {
    mark(shard, false);
  }

  public List<ShardId> unhealthy() {
    return down.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
  }

  @Override
  public synchronized void start() {
    if (probes.isEmpty()) {
      return;
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "shard-health"));
    probing = Executors.newCachedThreadPool(r -> daemon(r, "shard-health-probe"));
    // Stopped by shutting the executor down; the task catches its own failures.
    var unused =
        timer.scheduleWithFixedDelay(this::probeAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
      probing.shutdownNow();
    }
  }

  /**
   * One round: every store is probed in parallel, so one slow store delays no other's verdict. A
   * store whose previous probe is still running is down and is not probed again until it returns.
   */
  void probeAll() {
    for (Map.Entry<ShardId, Runnable> probe : probes.entrySet()) {
      ShardId shard = probe.getKey();
      Future<?> previous = inFlight.get(shard);
      if (previous != null && !previous.isDone()) {
        mark(shard, false);
        continue;
      }
      inFlight.put(shard, probing.submit(probe.getValue()));
    }
    for (Map.Entry<ShardId, Future<?>> running : inFlight.entrySet()) {
      try {
        running.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        mark(running.getKey(), true);
      } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
        mark(running.getKey(), false);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void mark(ShardId shard, boolean answers) {
    Boolean wasDown = down.put(shard, !answers);
    boolean changed = wasDown == null ? !answers : wasDown == answers;
    if (changed) {
      if (answers) {
        LOG.info("The store of {} answers again; new vaults may be placed on it.", shard);
      } else {
        LOG.warn("The store of {} does not answer; no new vaults are placed on it.", shard);
      }
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread thread = new Thread(r, name);
    thread.setDaemon(true);
    return thread;
  }
}
