package dev.coffer.routing;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.coffer.core.model.ControlPlaneId;
import dev.coffer.core.model.Endpoint;
import dev.coffer.core.model.HostId;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.CellMembership.HostState;
import dev.coffer.embeddedpostgres.PostgresInstance;
import dev.coffer.placement.CellHost;
import dev.coffer.placement.ControlPlane;
import dev.coffer.placement.postgres.BaseDatabase;
import dev.coffer.placement.postgres.PostgresRoutingDirectory;
import dev.coffer.placement.postgres.PostgresVaultPlacementStore;
import dev.coffer.testkit.database.TestDatabases;
import io.dropwizard.testing.DropwizardTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A router started by its own application class against a real base store (PostgreSQL) and fake
 * upstreams on real sockets: two control planes, and two hosts in each cell. The test plays the
 * control plane's part in the base store: it registers shards and places vaults.
 */
final class RouterFixture implements AutoCloseable {
  final PostgresInstance postgres;
  final BaseDatabase base;
  final PostgresVaultPlacementStore placements;
  final PostgresRoutingDirectory directory;
  final List<FakeUpstream> controlPlanes = new ArrayList<>();
  final Map<String, List<FakeUpstream>> cells = new LinkedHashMap<>();
  private final Path configFile;
  private final DropwizardTestSupport<RouterConfiguration> support;

  RouterFixture(List<String> shards) throws Exception {
    postgres = TestDatabases.startServer();
    String database = postgres.createDatabase("router_base");
    base = BaseDatabase.migrate(TestDatabases.dataSource(postgres, database));
    placements = new PostgresVaultPlacementStore(base);
    directory = new PostgresRoutingDirectory(base);
    controlPlanes.add(new FakeUpstream("cp-1"));
    controlPlanes.add(new FakeUpstream("cp-2"));
    // The control planes' part: each records itself, and mirrors each shard's cell.
    for (FakeUpstream controlPlane : controlPlanes) {
      directory.registerControlPlane(
          new ControlPlane(ControlPlaneId.of(controlPlane.name()), endpoint(controlPlane)));
    }
    for (String shard : shards) {
      placements.registerShard(ShardId.of(shard));
      List<FakeUpstream> hosts =
          List.of(new FakeUpstream(shard + "-host-1"), new FakeUpstream(shard + "-host-2"));
      cells.put(shard, hosts);
      directory.syncCell(
          ShardId.of(shard),
          hosts.stream()
              .map(host -> new CellHost(HostId.of(host.name()), endpoint(host), HostState.MEMBER))
              .toList());
    }
    configFile = Files.createTempFile("router", ".yml");
    Files.writeString(configFile, config(database));
    support = new DropwizardTestSupport<>(RouterApplication.class, configFile.toString());
    support.before();
  }

  private static Endpoint endpoint(FakeUpstream upstream) {
    return new Endpoint("http", "127.0.0.1", upstream.port());
  }

  private String config(String database) {
    String password =
        postgres.password().isEmpty() ? "" : "\n  password: \"" + postgres.password() + "\"";
    return """
        server:
          adminConnectors:
            - type: http
              port: 0
          requestLog:
            appenders: []
        logging:
          level: WARN
        auth:
          adminToken: router-test-admin-token
        baseStore:
          driverClass: org.postgresql.Driver
          url: "%s"
          user: "%s"%s
        listen:
          host: 127.0.0.1
          port: 0
        proxy:
          connectTimeout: 1s
          firstByteTimeout: 1s
          requestTimeout: 5s
          clientIdleTimeout: 2s
          clientRequestReadTimeout: 1s
        upstreamHealth:
          probeInterval: 200ms
          probeTimeout: 200ms
          ejectAfterFailures: 3
          ejectionTime: 1s
        routingData:
          pollInterval: 200ms
          staleAfter: 2s
        """
        .formatted(postgres.jdbcUrl(database), postgres.user(), password);
  }

  /** Places a vault ACTIVE on a shard and waits until the router's copy has it. */
  void placeActive(String vault, String shard) throws InterruptedException {
    placements.reserve(VaultName.of(vault), ShardId.of(shard));
    placements.markActive(VaultName.of(vault));
    awaitRoutingData();
  }

  /** Waits until the router has applied everything the base store's log holds now. */
  void awaitRoutingData() throws InterruptedException {
    LogPosition head = base.logReader().readablePosition();
    if (!application().tailer().awaitApplied(head, Duration.ofSeconds(30))) {
      throw new AssertionError("the router did not apply the base store's log up to " + head);
    }
  }

  RouterConfiguration configuration() {
    return support.getConfiguration();
  }

  RouterApplication application() {
    return support.getApplication();
  }

  int port() {
    return application().server().boundAddress().getPort();
  }

  int adminPort() {
    return support.getAdminPort();
  }

  MetricRegistry metrics() {
    return support.getEnvironment().metrics();
  }

  long meter(String name) {
    var meter = metrics().getMeters().get(name);
    return meter == null ? 0 : meter.getCount();
  }

  int openClientConnections() {
    @SuppressWarnings("unchecked")
    Gauge<Integer> gauge =
        (Gauge<Integer>) metrics().getGauges().get("coffer.router.connections.clients");
    return gauge.getValue();
  }

  List<FakeUpstream> everyUpstream() {
    List<FakeUpstream> all = new ArrayList<>(controlPlanes);
    cells.values().forEach(all::addAll);
    return all;
  }

  /** Requests every upstream has received, by name. */
  Map<String, Integer> requestCounts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    everyUpstream().forEach(upstream -> counts.put(upstream.name(), upstream.requests()));
    return counts;
  }

  /**
   * Every upstream listening and answering, and the router over its ejections of them (so that no
   * test inherits another's damage).
   */
  void resetUpstreams() throws IOException, InterruptedException {
    for (FakeUpstream upstream : everyUpstream()) {
      upstream.mode(FakeUpstream.Mode.OK);
      upstream.start();
    }
    awaitUpstreamsAvailable();
  }

  void awaitUpstreamsAvailable() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    for (FakeUpstream upstream : everyUpstream()) {
      while (!application().upstreams().available(upstream.upstream())) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(upstream.name() + " stays unavailable to the router");
        }
        Thread.sleep(20);
      }
    }
  }

  /** Waits until the router holds no client connection. */
  void awaitNoClientConnections() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (openClientConnections() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      support.after();
    } finally {
      for (FakeUpstream upstream : everyUpstream()) {
        upstream.close();
      }
      postgres.close();
      Files.deleteIfExists(configFile);
    }
  }
}
