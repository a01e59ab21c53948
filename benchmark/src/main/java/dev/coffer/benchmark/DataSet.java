package dev.coffer.benchmark;

import dev.coffer.core.api.Headers;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.ShardId;
import dev.coffer.dataplane.read.ServedFrom;
import dev.coffer.deployment.LocalCluster;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The data set the read phases read: {@code secrets} secrets of {@code valueBytes} bytes spread
 * evenly over {@code vaultsPerShard} vaults on every shard, a fraction of them with several
 * versions. Loaded through the control plane's API like any client's writes, by closed-loop
 * threads, and then awaited on every host.
 */
final class DataSet {
  /** How the data set is shaped. */
  record Shape(
      int secrets,
      int valueBytes,
      int vaultsPerShard,
      double multiVersionFraction,
      int versionsEach,
      int loadThreads) {}

  /** What loading cost. */
  record Loaded(
      long writes,
      long retries,
      double seconds,
      double writesPerSecond,
      double appliedEverywhereSeconds,
      Machine.Usage usage) {}

  private static final int ATTEMPTS = 5;

  private final Shape shape;
  private final List<Workload.Vault> vaults;
  private final String value;
  private final long[] multiVersion;

  private DataSet(Shape shape, List<Workload.Vault> vaults) {
    this.shape = shape;
    this.vaults = List.copyOf(vaults);
    this.value = "x".repeat(shape.valueBytes());
    List<Long> multi = new ArrayList<>();
    for (long i = 0; i < shape.secrets(); i++) {
      if (isMultiVersion(i)) {
        multi.add(i);
      }
    }
    this.multiVersion = multi.stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * Creates the data set's vaults, {@code data-1} onwards. The control plane places each on the
   * shard with the fewest vaults, so creating a multiple of the shard count keeps them even.
   */
  static DataSet createVaults(Http http, String controlPlane, int shards, Shape shape) {
    List<Workload.Vault> vaults = new ArrayList<>();
    for (int i = 1; i <= shards * shape.vaultsPerShard(); i++) {
      String name = "data-" + i;
      Http.Answer answer = http.post(controlPlane + "/v1/vaults", Http.json(Map.of("name", name)));
      if (answer.status() != 201) {
        throw new IllegalStateException(
            "creating vault " + name + " answered HTTP " + answer.status() + ": " + answer.body());
      }
      vaults.add(new Workload.Vault(name, ShardId.of(answer.json().path("shard").asText())));
    }
    return new DataSet(shape, vaults);
  }

  Shape shape() {
    return shape;
  }

  /** Secret versions a full load writes. */
  long writes() {
    return shape.secrets() + (long) multiVersion.length * (shape.versionsEach() - 1);
  }

  long multiVersionSecrets() {
    return multiVersion.length;
  }

  /** Spread evenly: secret i has several versions when i * fraction crosses a whole number. */
  private boolean isMultiVersion(long i) {
    double f = shape.multiVersionFraction();
    return shape.versionsEach() > 1 && Math.floor((i + 1) * f) > Math.floor(i * f);
  }

  private Workload.Vault vaultOf(long secret) {
    return vaults.get((int) (secret % vaults.size()));
  }

  private static String nameOf(long secret) {
    return String.format("s-%06d", secret);
  }

  /** Read paths of every secret of {@code shard}, latest version. */
  List<String> pathsOn(ShardId shard) {
    List<String> paths = new ArrayList<>();
    for (long i = 0; i < shape.secrets(); i++) {
      Workload.Vault vault = vaultOf(i);
      if (vault.shard().equals(shard)) {
        paths.add("/v1/vaults/" + vault.name() + "/secrets/" + nameOf(i));
      }
    }
    return paths;
  }

  List<ShardId> shards() {
    return vaults.stream()
        .map(Workload.Vault::shard)
        .distinct()
        .sorted(Comparator.comparing(ShardId::value))
        .toList();
  }

  /**
   * Writes every version: first version 1 of every secret, then the further versions. Each write is
   * retried a few times on failure, so that the read phases find the whole data set.
   */
  Loaded load(Http http, LocalCluster cluster, ClusterProcesses roles, PrintStream progress)
      throws InterruptedException {
    long total = writes();
    AtomicLong next = new AtomicLong();
    AtomicLong done = new AtomicLong();
    AtomicLong retries = new AtomicLong();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Map<ShardId, String> highestToken = new ConcurrentHashMap<>();
    Machine.CpuWindow cpu = new Machine.CpuWindow(roles);
    long start = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < shape.loadThreads(); t++) {
      Thread thread =
          new Thread(
              () -> {
                long k;
                while (failure.get() == null && (k = next.getAndIncrement()) < total) {
                  long secret =
                      k < shape.secrets()
                          ? k
                          : multiVersion[(int) ((k - shape.secrets()) % multiVersion.length)];
                  Workload.Vault vault = vaultOf(secret);
                  String url =
                      cluster.controlPlaneUrl()
                          + "/v1/vaults/"
                          + vault.name()
                          + "/secrets/"
                          + nameOf(secret);
                  try {
                    String token = put(http, url, k, retries);
                    LogPosition position = position(token);
                    highestToken.compute(
                        vault.shard(),
                        (s, old) ->
                            old == null || position(old).compareTo(position) < 0 ? token : old);
                    done.incrementAndGet();
                  } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                  }
                }
              },
              "data-set-loader-" + t);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    long lastReport = System.nanoTime();
    for (Thread alive = firstAlive(threads); alive != null; alive = firstAlive(threads)) {
      alive.join(1000);
      if (System.nanoTime() - lastReport > 15_000_000_000L) {
        lastReport = System.nanoTime();
        double elapsed = (lastReport - start) / 1e9;
        progress.printf(
            "  loaded %d of %d versions in %.0f s (%.0f/s)%n",
            done.get(), total, elapsed, done.get() / elapsed);
      }
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("loading the data set failed", failure.get());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Machine.Usage usage = cpu.end();
    long waitStart = System.nanoTime();
    awaitApplied(http, cluster, highestToken);
    double applied = (System.nanoTime() - start) / 1e9;
    progress.printf(
        "  loaded %d versions in %.1f s (%.0f/s); on every host after %.1f s (%.1f s more)%n",
        done.get(), seconds, done.get() / seconds, applied, (System.nanoTime() - waitStart) / 1e9);
    return new Loaded(
        done.get(),
        retries.get(),
        Machine.round3(seconds),
        Machine.round3(done.get() / seconds),
        Machine.round3(applied),
        usage);
  }

  private static Thread firstAlive(List<Thread> threads) {
    return threads.stream().filter(Thread::isAlive).findFirst().orElse(null);
  }

  private String put(Http http, String url, long counter, AtomicLong retries) {
    String body =
        "{\"value\":\"v" + counter + "-" + value.substring(0, valueLength(counter)) + "\"}";
    RuntimeException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        Http.Answer answer = http.put(url, body);
        if (answer.status() == 201) {
          return answer.json().path("replicationToken").asText();
        }
        last = new IllegalStateException("HTTP " + answer.status() + ": " + answer.body());
      } catch (RuntimeException e) {
        last = e;
      }
      retries.incrementAndGet();
      sleep(200L * attempt);
    }
    throw new IllegalStateException("writing " + url + " failed " + ATTEMPTS + " times", last);
  }

  /** The value is exactly valueBytes long, counter prefix included. */
  private int valueLength(long counter) {
    int prefix = ("v" + counter + "-").length();
    return Math.max(0, shape.valueBytes() - prefix);
  }

  /** A token is {@code shard:txId.seq}. */
  private static LogPosition position(String token) {
    return LogPosition.parse(token.substring(token.lastIndexOf(':') + 1));
  }

  /**
   * Until every host of every cell answers a read carrying the shard's highest token from its own
   * replica: the horizon reader applies in log order, so that host then has every loaded version.
   */
  private void awaitApplied(Http http, LocalCluster cluster, Map<ShardId, String> tokens) {
    long deadline = System.nanoTime() + 30L * 60 * 1_000_000_000L;
    for (LocalCluster.Host host : cluster.hosts()) {
      String token = tokens.get(host.shard());
      if (token == null) {
        continue;
      }
      String path = pathsOn(host.shard()).get(0);
      while (true) {
        try {
          Http.Answer answer =
              http.getAsync(host.url() + path, Map.of(Headers.REPLICATION_TOKEN, token)).join();
          if (answer.status() == 200
              && ServedFrom.LOCAL.header().equals(answer.header(Headers.SERVED_FROM))) {
            break;
          }
        } catch (RuntimeException e) {
          // A busy host may time out: ask again until the deadline.
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(host.id() + " did not apply the data set in 30 min");
        }
        sleep(200);
      }
    }
  }

  Map<String, Long> versionsPerShard() {
    Map<String, Long> out = new TreeMap<>();
    for (long i = 0; i < shape.secrets(); i++) {
      out.merge(vaultOf(i).shard().value(), 1L, Long::sum);
    }
    for (long i : multiVersion) {
      out.merge(vaultOf(i).shard().value(), (long) shape.versionsEach() - 1, Long::sum);
    }
    return out;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "DataSet" + shape + " on " + Arrays.toString(vaults.toArray());
  }
}
