package dev.coffer.routing;

import com.codahale.metrics.Gauge;
import dev.coffer.placement.log.InMemoryPlacementReplica;
import dev.coffer.placement.log.PositionedPlacementEvent;
import dev.coffer.placement.postgres.BaseDatabase;
import dev.coffer.replication.apply.ApplyListener;
import dev.coffer.replication.apply.LogWakeups;
import dev.coffer.replication.apply.ReplicationTailer;
import dev.coffer.routing.config.HealthConfig;
import dev.coffer.routing.health.ActiveProber;
import dev.coffer.routing.health.RoutingDataHealthCheck;
import dev.coffer.routing.health.Upstreams;
import dev.coffer.routing.health.UpstreamsHealthCheck;
import dev.coffer.routing.proxy.NettyLoops;
import dev.coffer.routing.proxy.RouterMetrics;
import dev.coffer.routing.proxy.RouterServer;
import dev.coffer.routing.proxy.RouterTls;
import dev.coffer.routing.table.PlacementTail;
import dev.coffer.routing.table.ReplicaRoutingTable;
import dev.coffer.service.admin.AdminPort;
import dev.coffer.service.config.EnvironmentSubstitution;
import dev.coffer.service.db.ConnectionPools;
import dev.coffer.service.http.CofferHttp;
import dev.coffer.service.logging.LogRules;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.time.Clock;
import java.util.List;

/**
 * The router: a Netty HTTP/1.1 server for clients (see {@link RouterServer}); Dropwizard's Jetty
 * serves only the admin port (health checks, metrics, the log-level task). This method is the
 * composition root: every object is built here, by hand, in dependency order.
 */
public final class RouterApplication extends Application<RouterConfiguration> {
  private final RouterTls tls;
  private volatile RouterServer server;
  private volatile ReplicationTailer<PositionedPlacementEvent> tailer;
  private volatile Upstreams upstreams;

  public RouterApplication() {
    this(RouterTls.none());
  }

  /** With TLS contexts from outside (certificate files reloaded on change, say). */
  public RouterApplication(RouterTls tls) {
    this.tls = tls;
  }

  public static void main(String[] args) throws Exception {
    new RouterApplication().run(args);
  }

  @Override
  public String getName() {
    return "coffer-router";
  }

  @Override
  public void initialize(Bootstrap<RouterConfiguration> bootstrap) {
    LogRules.beforeConfiguration();
    EnvironmentSubstitution.install(bootstrap);
  }

  @Override
  public void run(RouterConfiguration config, Environment environment) {
    AbstractServerFactory serverFactory = (AbstractServerFactory) config.getServerFactory();
    CofferHttp.configureServer(serverFactory);
    adminOnly(serverFactory);
    AdminPort.restrict(environment, config.auth().adminToken());
    LogRules.afterConfiguration(serverFactory);
    CofferHttp.install(environment, config.auth().adminToken());

    ManagedDataSource baseDataSource =
        ConnectionPools.build(config.baseStore(), environment.metrics(), "base-store");
    environment.lifecycle().manage(baseDataSource);
    // The control plane owns the base store's schema; the router refuses one it does not know.
    BaseDatabase base = BaseDatabase.validated(baseDataSource);
    InMemoryPlacementReplica placements = new InMemoryPlacementReplica();
    LogWakeups wakeups = base.logWakeups();
    tailer =
        new ReplicationTailer<>(
            "router",
            base.logReader(),
            placements,
            wakeups,
            config.routingData().batchSize(),
            config.routingData().pollInterval(),
            ApplyListener.NONE,
            // The control planes truncate the base log by age: a router that starts after that,
            // or falls that far behind, takes a snapshot of the base store instead.
            base.bootstrap(placements));
    environment.lifecycle().manage(new PlacementTail(tailer, wakeups));
    RoutingDataHealthCheck routingData =
        new RoutingDataHealthCheck(tailer, config.routingData().staleAfter(), Clock.systemUTC());
    environment.healthChecks().register("routing-data", routingData);
    environment
        .metrics()
        .register("coffer.router.routing-data.age-ms", (Gauge<Long>) routingData::ageMillis);
    environment
        .metrics()
        .register("coffer.router.routing-data.caught-up", (Gauge<Boolean>) tailer::isCaughtUp);

    ReplicaRoutingTable table = new ReplicaRoutingTable(placements);
    RouterMetrics metrics = new RouterMetrics(environment.metrics());
    HealthConfig health = config.upstreamHealth();
    upstreams =
        new Upstreams(
            health.ejectAfterFailures(),
            health.ejectionTime(),
            metrics.ejections(),
            System::nanoTime);
    environment
        .healthChecks()
        .register("upstreams", new UpstreamsHealthCheck(upstreams, table::groups));

    // Managed in this order so that they stop in the reverse: probes, server, event loops.
    NettyLoops loops = new NettyLoops(config.proxy().workerThreads());
    environment.lifecycle().manage(loops);
    server =
        new RouterServer(
            config.listen().address(),
            tls,
            config.proxy().settings(),
            table,
            upstreams,
            metrics,
            loops);
    environment.lifecycle().manage(server);
    environment
        .lifecycle()
        .manage(
            new ActiveProber(
                upstreams,
                table::everyUpstream,
                loops.workers(),
                health.probeInterval(),
                health.probeTimeout()));
  }

  /**
   * Jetty keeps only the admin connectors, on loopback unless configured otherwise: clients talk to
   * the Netty server.
   */
  private static void adminOnly(AbstractServerFactory serverFactory) {
    if (!(serverFactory instanceof DefaultServerFactory factory)) {
      throw new IllegalStateException(
          "The router needs the default server type (admin port only).");
    }
    factory.setApplicationConnectors(List.of());
    factory
        .getAdminConnectors()
        .forEach(
            connector -> {
              if (connector instanceof HttpConnectorFactory http && http.getBindHost() == null) {
                http.setBindHost("127.0.0.1");
              }
            });
  }

  /** The client-facing server, once {@link #run} has built it. */
  RouterServer server() {
    return server;
  }

  /** What the router knows of its upstreams' health, once {@link #run} has built it. */
  Upstreams upstreams() {
    return upstreams;
  }

  /** The tailer of the base store's log, once {@link #run} has built it. */
  ReplicationTailer<PositionedPlacementEvent> tailer() {
    return tailer;
  }
}
