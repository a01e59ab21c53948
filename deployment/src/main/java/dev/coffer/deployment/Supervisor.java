package dev.coffer.deployment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Notices at once when a process of the local deployment dies, says which one and where its log is,
 * and starts it again after a back-off (doubling from the first delay up to the longest, and back
 * to the first once a process has stayed up for a while), as a process supervisor would. Only
 * deaths it did not cause count: once closed, it restarts nothing.
 */
public final class Supervisor implements AutoCloseable {
  /**
   * Whether and how a deployment's processes are supervised.
   *
   * @param notices where the lines about deaths and restarts go (the dev command: standard output)
   */
  public record Policy(
      boolean enabled,
      Consumer<String> notices,
      Duration firstDelay,
      Duration longestDelay,
      Duration stableAfter) {
    public static final Policy OFF =
        new Policy(false, line -> {}, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ZERO);

    /** One second, doubling to 30 s; reset once a process stayed up for a minute. */
    public static Policy on(Consumer<String> notices) {
      return new Policy(
          true, notices, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(1));
    }

    Duration delayAfter(int failures) {
      long millis = firstDelay.toMillis() << Math.min(failures - 1, 20);
      return Duration.ofMillis(Math.min(millis, longestDelay.toMillis()));
    }
  }

  /** Starts a process again: returns once it is healthy, throws when it did not come up. */
  interface Restart {
    void run() throws Exception;
  }

  private final Policy policy;
  private final ScheduledExecutorService restarts =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "coffer-supervisor");
            thread.setDaemon(true);
            return thread;
          });
  private final List<Watched> watched = new ArrayList<>();
  private volatile boolean closed;

  Supervisor(Policy policy) {
    this.policy = policy;
  }

  /**
   * Watches one process from now on.
   *
   * @param pid the process's current id (it changes with every restart)
   * @param restart starts it again and waits until it is healthy
   * @param kill ends an attempt that started but did not become healthy
   */
  synchronized void watch(String name, Path log, LongSupplier pid, Restart restart, Runnable kill) {
    if (!policy.enabled()) {
      return;
    }
    Watched process = new Watched(name, log, pid, restart, kill);
    watched.add(process);
    process.arm();
  }

  /** Stops watching {@code name}: it is being stopped on purpose. */
  synchronized void forget(String name) {
    watched.stream().filter(w -> w.name.equals(name)).forEach(w -> w.retired = true);
  }

  @Override
  public void close() {
    closed = true;
    restarts.shutdownNow();
  }

  private final class Watched {
    private final String name;
    private final Path log;
    private final LongSupplier pid;
    private final Restart restart;
    private final Runnable kill;
    private int failures;
    private long upSince = System.nanoTime();
    private volatile boolean retired;

    Watched(String name, Path log, LongSupplier pid, Restart restart, Runnable kill) {
      this.name = name;
      this.log = log;
      this.pid = pid;
      this.restart = restart;
      this.kill = kill;
    }

    void arm() {
      long current = pid.getAsLong();
      Optional<ProcessHandle> handle = ProcessHandle.of(current);
      if (handle.isEmpty() || !handle.get().isAlive()) {
        died(current);
        return;
      }
      var unused = handle.get().onExit().thenRun(() -> died(current));
    }

    private synchronized void died(long deadPid) {
      if (closed || retired) {
        return;
      }
      if (System.nanoTime() - upSince >= policy.stableAfter().toNanos()) {
        failures = 0;
      }
      Duration delay = policy.delayAfter(++failures);
      policy
          .notices()
          .accept(
              name
                  + " (pid "
                  + deadPid
                  + ") stopped unexpectedly; its log is "
                  + log
                  + ". Restarting it in "
                  + seconds(delay)
                  + ".");
      schedule(delay);
    }

    private void schedule(Duration delay) {
      if (!closed && !retired) {
        var unused = restarts.schedule(this::restartNow, delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    }

    private void restartNow() {
      if (closed || retired) {
        return;
      }
      try {
        restart.run();
      } catch (Exception e) {
        if (closed) {
          return;
        }
        kill.run();
        Duration delay;
        synchronized (this) {
          delay = policy.delayAfter(++failures);
        }
        policy
            .notices()
            .accept(
                name
                    + " did not start again; its log is "
                    + log
                    + ". Next attempt in "
                    + seconds(delay)
                    + ".");
        schedule(delay);
        return;
      }
      synchronized (this) {
        upSince = System.nanoTime();
      }
      policy.notices().accept(name + " is running again (pid " + pid.getAsLong() + ").");
      arm();
    }
  }

  private static String seconds(Duration delay) {
    long millis = delay.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis / 1000.0 + " s";
  }
}
