package dev.coffer.controlplane.directory;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.storage.CellMembership;
import dev.coffer.core.storage.CellMembership.HostStatus;
import dev.coffer.placement.CellHost;
import dev.coffer.placement.ControlPlane;
import dev.coffer.placement.RoutingDirectory;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the base store's routing directory true: records this control plane at start, then every
 * interval mirrors each shard's cell (the hosts that advertised an endpoint, and their standing)
 * into it. Hosts write only their own shard's store, so this is how routers, which tail the base
 * store's log, learn where a vault's hosts are. Every control plane runs it; the directory makes
 * concurrent and repeated syncs safe, and a sync that changes nothing appends nothing.
 */
public final class CellDirectorySync implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(CellDirectorySync.class);

  private final RoutingDirectory directory;
  private final Map<ShardId, CellMembership> cells;
  private final Optional<ControlPlane> self;
  private final Duration interval;
  private final AtomicLong failures = new AtomicLong();
  private ScheduledExecutorService timer;

  /**
   * @param self this control plane as routers should reach it; empty when it advertises none
   */
  public CellDirectorySync(
      RoutingDirectory directory,
      Map<ShardId, CellMembership> cells,
      Optional<ControlPlane> self,
      Duration interval) {
    this.directory = directory;
    this.cells = Map.copyOf(cells);
    this.self = self;
    this.interval = interval;
  }

  @Override
  public synchronized void start() {
    self.ifPresent(directory::registerControlPlane);
    timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "cell-directory-sync");
              thread.setDaemon(true);
              return thread;
            });
    // syncAll catches what a shard's store throws, and the task ends when stop() shuts the timer.
    var unused =
        timer.scheduleWithFixedDelay(this::syncAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Mirrors every shard's cell once; a shard whose store does not answer is skipped this time. */
  public void syncAll() {
    for (Map.Entry<ShardId, CellMembership> cell : cells.entrySet()) {
      try {
        directory.syncCell(cell.getKey(), routable(cell.getValue().hosts()));
      } catch (CofferException e) {
        failures.incrementAndGet();
        // Codes only: a lower layer's message could quote data.
        LOG.warn("Could not mirror the cell of shard {} ({}).", cell.getKey(), e.code());
      } catch (RuntimeException e) {
        // Anything else too: an exception escaping would end the periodic task for good.
        failures.incrementAndGet();
        LOG.warn(
            "Could not mirror the cell of shard {} ({}).",
            cell.getKey(),
            e.getClass().getSimpleName());
      }
    }
  }

  private static List<CellHost> routable(List<HostStatus> hosts) {
    List<CellHost> routable = new ArrayList<>();
    for (HostStatus host : hosts) {
      host.endpoint()
          .ifPresent(endpoint -> routable.add(new CellHost(host.host(), endpoint, host.state())));
    }
    return routable;
  }

  public long failures() {
    return failures.get();
  }

  @Override
  public synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }
}
