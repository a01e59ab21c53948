package dev.coffer.deployment;

import dev.coffer.core.model.ShardId;
import dev.coffer.dataplane.DataPlaneConfiguration.ReadAccessor;
import dev.coffer.embeddedpostgres.PostgresInstance;
import dev.coffer.embeddedpostgres.PostgresServer;
import dev.coffer.embeddedpostgres.PostgresServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * A whole Coffer deployment on this machine with real parts: PostgreSQL servers (base store and one
 * per shard), the control plane and the data-plane hosts of every shard's cell, each a separate
 * process. The dev command and the end-to-end tests both use it.
 */
public final class LocalCluster implements AutoCloseable {
  private static final String CONTROL_PLANE_MAIN =
      "dev.coffer.controlplane.ControlPlaneApplication";
  private static final String ROUTER_MAIN = "dev.coffer.routing.RouterApplication";

  /** The router at base+2 (admin base+3), beside the control plane. */
  private static final int ROUTER_PORT_OFFSET = 2;

  private static final String DATA_PLANE_MAIN = "dev.coffer.dataplane.DataPlaneApplication";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final int HOST_PORT_OFFSET = 10;
  private static final int POSTGRES_PORT_OFFSET = 50;

  /**
   * How to lay a deployment out.
   *
   * @param directory where everything lives; null for a temporary directory removed on close
   * @param basePort first of a block of ports; 0 picks free ports
   * @param jvmOptions options for every server JVM
   * @param supervision whether a server that dies is reported and started again; off for tests,
   *     which kill servers on purpose and expect them to stay down
   */
  public record Options(
      Path directory,
      int basePort,
      int shards,
      int hostsPerShard,
      ReadAccessor readAccessor,
      List<String> jvmOptions,
      Supervisor.Policy supervision) {
    public Options(
        Path directory,
        int basePort,
        int shards,
        int hostsPerShard,
        ReadAccessor readAccessor,
        List<String> jvmOptions) {
      this(
          directory,
          basePort,
          shards,
          hostsPerShard,
          readAccessor,
          jvmOptions,
          Supervisor.Policy.OFF);
    }

    public static Options forTests() {
      return new Options(
          null,
          0,
          2,
          2,
          ReadAccessor.LOCAL,
          List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k"));
    }

    public Options withDirectory(Path directory, int basePort) {
      return new Options(
          directory, basePort, shards, hostsPerShard, readAccessor, jvmOptions, supervision);
    }

    public Options withShape(int shards, int hostsPerShard) {
      return new Options(
          directory, basePort, shards, hostsPerShard, readAccessor, jvmOptions, supervision);
    }

    public Options withSupervision(Supervisor.Policy supervision) {
      return new Options(
          directory, basePort, shards, hostsPerShard, readAccessor, jvmOptions, supervision);
    }
  }

  /** A data-plane host of a shard's cell. */
  public record Host(ShardId shard, String id, int port, int adminPort, ServiceProcess process) {
    public String url() {
      return "http://127.0.0.1:" + port;
    }

    public Path replicaDirectory(Path clusterDirectory) {
      return clusterDirectory.resolve("hosts").resolve(id).resolve("replica");
    }
  }

  private final Options options;
  private final Path directory;
  private final boolean temporary;
  private final Credentials credentials;
  // Written by the supervisor when it restarts a server, read by the rest.
  private final Map<String, PostgresInstance> postgres =
      java.util.Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, String> shardDatabaseNames = new LinkedHashMap<>();
  private final List<Host> hosts = new ArrayList<>();
  private final List<Host> extraHosts = new ArrayList<>();
  private final Map<String, ClusterConfigWriter.Database> shardDatabases = new LinkedHashMap<>();
  private ClusterConfigWriter.Database baseDatabase;
  private int routerPort;
  private int routerAdminPort;
  private ServiceProcess router;
  private final Map<String, Integer> postgresPorts = new LinkedHashMap<>();
  private final Supervisor supervisor;
  private ClusterConfigWriter configs;
  private ServiceProcess controlPlane;
  private int controlPlanePort;
  private int controlPlaneAdminPort;

  private LocalCluster(Options options) throws IOException {
    this.options = options;
    this.temporary = options.directory() == null;
    this.directory =
        temporary
            ? Files.createTempDirectory("coffer-cluster-")
            : options.directory().toAbsolutePath().normalize();
    OwnerOnly.directory(directory);
    OwnerOnly.tightenTree(directory);
    this.credentials = Credentials.loadOrGenerate(directory);
    this.supervisor = new Supervisor(options.supervision());
  }

  public static LocalCluster start(Options options) {
    LocalCluster cluster;
    try {
      cluster = new LocalCluster(options);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the deployment directory", e);
    }
    try {
      cluster.startAll();
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private void startAll() {
    List<String> stores = new ArrayList<>();
    stores.add("base");
    for (int s = 1; s <= options.shards(); s++) {
      stores.add("shard-" + s);
    }
    for (int i = 0; i < stores.size(); i++) {
      postgresPorts.put(stores.get(i), port(POSTGRES_PORT_OFFSET + i));
    }
    if (!temporary) {
      // A root JVM runs PostgreSQL as another account, which must pass through these two.
      PostgresServer.allowServerAccountThrough(
          List.of(directory, OwnerOnly.directory(directory.resolve("postgres"))));
    }
    // Servers start in parallel: each start is mostly waiting on initdb and fsync.
    Map<String, CompletableFuture<PostgresInstance>> starting = new LinkedHashMap<>();
    postgresPorts.forEach(
        (store, port) ->
            starting.put(store, CompletableFuture.supplyAsync(() -> startPostgres(store, port))));
    starting.forEach((store, future) -> postgres.put(store, future.join()));

    configs = new ClusterConfigWriter(credentials, directory);
    for (int s = 1; s <= options.shards(); s++) {
      shardDatabases.put("shard-" + s, database("shard-" + s, "coffer_shard_" + s));
    }
    controlPlanePort = port(0);
    controlPlaneAdminPort = port(1);
    Path controlPlaneConfig = directory.resolve("config").resolve("control-plane.yml");
    baseDatabase = database("base", "coffer_base");
    configs.writeControlPlane(
        controlPlaneConfig, controlPlanePort, controlPlaneAdminPort, baseDatabase, shardDatabases);
    controlPlane =
        new ServiceProcess(
            "control-plane",
            CONTROL_PLANE_MAIN,
            controlPlaneConfig,
            directory.resolve("logs").resolve("control-plane.log"),
            // Not /healthcheck: it also reports silent hosts, and after a restart the hosts are
            // silent until the control plane is up and they start.
            URI.create("http://127.0.0.1:" + controlPlanePort + "/v1/shards"),
            credentials.adminToken(),
            options.jvmOptions());
    controlPlane.withEnvironment(configs.environment());
    // The control plane migrates the shard schemas; hosts only validate them, so it goes first.
    controlPlane.start();
    controlPlane.awaitHealthy(START_TIMEOUT);

    for (int s = 1; s <= options.shards(); s++) {
      String shard = "shard-" + s;
      for (int h = 0; h < options.hostsPerShard(); h++) {
        String hostId = shard + "-host-" + (char) ('a' + h);
        hosts.add(host(shard, hostId, hosts.size(), options.readAccessor()));
      }
    }
    hosts.forEach(h -> h.process().start());
    hosts.forEach(h -> h.process().awaitHealthy(START_TIMEOUT));

    routerPort = port(ROUTER_PORT_OFFSET);
    routerAdminPort = port(ROUTER_PORT_OFFSET + 1);
    Path routerConfig = directory.resolve("config").resolve("router.yml");
    configs.writeRouter(routerConfig, routerPort, routerAdminPort, baseDatabase);
    router =
        new ServiceProcess(
            "router",
            ROUTER_MAIN,
            routerConfig,
            directory.resolve("logs").resolve("router.log"),
            // Its health check passes once every cell and the control plane have an upstream the
            // router can reach: it has the routing data and can serve every vault.
            URI.create("http://127.0.0.1:" + routerAdminPort + "/healthcheck"),
            null,
            options.jvmOptions());
    router.start();
    router.awaitHealthy(START_TIMEOUT);

    postgres.keySet().forEach(this::superviseStore);
    supervise(controlPlane);
    hosts.forEach(h -> supervise(h.process()));
    supervise(router);
  }

  private void supervise(ServiceProcess process) {
    supervisor.watch(
        process.name(),
        process.logFile(),
        process::pid,
        () -> {
          process.start();
          process.awaitHealthy(START_TIMEOUT);
        },
        process::kill);
  }

  /**
   * A server of a persistent deployment is started again on its data; a temporary deployment's
   * servers are not supervised (their data goes with them).
   */
  private void superviseStore(String store) {
    if (temporary || !(postgres.get(store) instanceof PostgresServer)) {
      return;
    }
    supervisor.watch(
        storeProcessName(store),
        ((PostgresServer) postgres.get(store)).logFile(),
        () -> ((PostgresServer) postgres.get(store)).pid(),
        () -> {
          postgres.get(store).close(); // only lets go of the dead server's files
          postgres.put(store, startPostgres(store, postgresPorts.get(store)));
        },
        () -> {});
  }

  private static String storeProcessName(String store) {
    return "PostgreSQL of the " + store + " store";
  }

  private Host host(String shard, String hostId, int hostIndex, ReadAccessor readAccessor) {
    int port = port(HOST_PORT_OFFSET + 2 * hostIndex);
    int adminPort = port(HOST_PORT_OFFSET + 2 * hostIndex + 1);
    Path config = directory.resolve("config").resolve(hostId + ".yml");
    configs.writeDataPlane(
        config,
        port,
        adminPort,
        shard,
        hostId,
        shardDatabases.get(shard),
        directory.resolve("hosts").resolve(hostId).resolve("replica"),
        readAccessor);
    ServiceProcess process =
        new ServiceProcess(
            hostId,
            DATA_PLANE_MAIN,
            config,
            directory.resolve("logs").resolve(hostId + ".log"),
            URI.create("http://127.0.0.1:" + adminPort + "/healthcheck"),
            null,
            options.jvmOptions());
    process.withEnvironment(configs.environment());
    return new Host(ShardId.of(shard), hostId, port, adminPort, process);
  }

  /**
   * Starts one more host of {@code shard} with its own read accessor, outside the cell's listed
   * hosts: {@link #hosts()} does not include it, and a {@link ReadAccessor#REMOTE} host does not
   * join the cell, so it changes nothing the others do. For comparisons on the same machine and
   * data, e.g. local against remote reads. Stopped with the deployment.
   */
  public synchronized Host startExtraHost(ShardId shard, String hostId, ReadAccessor readAccessor) {
    if (!shardDatabases.containsKey(shard.value())) {
      throw new IllegalArgumentException("no shard " + shard + " in this deployment");
    }
    Host host = host(shard.value(), hostId, hosts.size() + extraHosts.size(), readAccessor);
    extraHosts.add(host);
    host.process().start();
    host.process().awaitHealthy(START_TIMEOUT);
    supervise(host.process());
    return host;
  }

  /** The hosts started with {@link #startExtraHost}. */
  public synchronized List<Host> extraHosts() {
    return List.copyOf(extraHosts);
  }

  private PostgresInstance startPostgres(String store, int port) {
    PostgresInstance instance =
        temporary
            ? PostgresServers.startForTest()
            : PostgresServer.startPersistent(directory.resolve("postgres").resolve(store), port);
    return instance;
  }

  private ClusterConfigWriter.Database database(String store, String name) {
    PostgresInstance instance = postgres.get(store);
    String actual = instance.createDatabase(name);
    shardDatabaseNames.put(store, actual);
    return new ClusterConfigWriter.Database(
        instance.jdbcUrl(actual), instance.user(), instance.password());
  }

  /**
   * With a base port the layout is fixed, so that a restarted deployment keeps its addresses:
   * control plane at base (admin base+1), router at base+2 (admin base+3), hosts from base+10
   * (application, admin), PostgreSQL from base+50.
   */
  private int port(int offset) {
    if (options.basePort() > 0) {
      return options.basePort() + offset;
    }
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  /** Where a process that reads the base store (a router) finds it. */
  public record StoreAddress(String jdbcUrl, String user, String password) {
    /** Without the password, which is a credential. */
    @Override
    public String toString() {
      return "StoreAddress[" + jdbcUrl + ", " + user + "]";
    }
  }

  public StoreAddress baseStore() {
    return new StoreAddress(baseDatabase.jdbcUrl(), baseDatabase.user(), baseDatabase.password());
  }

  /** The one endpoint for clients: the router, which sends each request where it belongs. */
  public String routerUrl() {
    return "http://127.0.0.1:" + routerPort;
  }

  public int routerAdminPort() {
    return routerAdminPort;
  }

  public ServiceProcess router() {
    return router;
  }

  public String controlPlaneUrl() {
    return "http://127.0.0.1:" + controlPlanePort;
  }

  public int controlPlaneAdminPort() {
    return controlPlaneAdminPort;
  }

  public ServiceProcess controlPlane() {
    return controlPlane;
  }

  public List<Host> hosts() {
    return List.copyOf(hosts);
  }

  public List<Host> hostsOf(ShardId shard) {
    return hosts.stream().filter(h -> h.shard().equals(shard)).toList();
  }

  public String adminToken() {
    return credentials.adminToken();
  }

  public Path directory() {
    return directory;
  }

  /**
   * Data directories of the PostgreSQL servers this deployment started (none for external ones).
   */
  public List<Path> postgresDirectories() {
    return postgres.values().stream()
        .filter(PostgresServer.class::isInstance)
        .map(p -> ((PostgresServer) p).directory())
        .toList();
  }

  /** The directory of one store's PostgreSQL server ("base", "shard-1", ...), if started here. */
  public Path postgresDirectory(String store) {
    PostgresInstance instance = postgres.get(store);
    if (instance instanceof PostgresServer server) {
      return server.directory();
    }
    throw new IllegalStateException(store + " does not run on a server started here");
  }

  /**
   * Stops one store's PostgreSQL server ("base", "shard-1", ...), as when its machine goes down,
   * for tests of what the servers do without it. It is not started again; a temporary deployment's
   * copy of that store's data is deleted.
   */
  public void stopStore(String store) {
    PostgresInstance instance = postgres.get(store);
    if (!(instance instanceof PostgresServer)) {
      throw new IllegalStateException(store + " does not run on a server started here");
    }
    supervisor.forget(storeProcessName(store));
    instance.close();
  }

  /**
   * Forces every PostgreSQL server to write its buffers to its data files (for scans of the disk).
   */
  public void checkpointDatabases() {
    for (PostgresInstance instance : postgres.values()) {
      try (java.sql.Connection connection = instance.connect("postgres");
          java.sql.Statement statement = connection.createStatement()) {
        statement.execute("CHECKPOINT");
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException("CHECKPOINT failed on " + instance, e);
      }
    }
  }

  /**
   * Runs {@code sql} (a query with one column) on a shard's store, for tests that look underneath.
   */
  public List<byte[]> queryShardStore(String shard, String sql) {
    PostgresInstance instance = postgres.get(shard);
    String database = shardDatabaseNames.get(shard);
    List<byte[]> rows = new ArrayList<>();
    try (java.sql.Connection connection = instance.connect(database);
        java.sql.Statement statement = connection.createStatement();
        java.sql.ResultSet rs = statement.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(rs.getBytes(1));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("query failed on " + shard, e);
    }
    return rows;
  }

  @Override
  public void close() {
    supervisor.close();
    // Reverse start order: the router, readers, then the writer, then the databases.
    if (router != null) {
      router.stop();
    }
    extraHosts().forEach(h -> h.process().stop());
    hosts.forEach(h -> h.process().stop());
    if (controlPlane != null) {
      controlPlane.stop();
    }
    postgres.values().forEach(PostgresInstance::close);
    if (temporary) {
      deleteRecursively(directory);
    }
  }

  /** Removes a deployment's directory and everything in it, as far as it can (best effort). */
  public static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: a leftover temporary directory is harmless.
    }
  }
}
