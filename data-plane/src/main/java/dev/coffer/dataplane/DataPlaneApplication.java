package dev.coffer.dataplane;

import dev.coffer.core.crypto.SecretCrypto;
import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.model.HostId;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.storage.ReplicaStore;
import dev.coffer.dataplane.admin.ApplyTimesPages;
import dev.coffer.dataplane.admin.ApplyTimesServlet;
import dev.coffer.dataplane.api.SecretReadResource;
import dev.coffer.dataplane.api.ServedByFilter;
import dev.coffer.dataplane.health.ReplicaCaughtUpHealthCheck;
import dev.coffer.dataplane.read.ApplyTimes;
import dev.coffer.dataplane.read.ReadMetrics;
import dev.coffer.dataplane.read.ReadService;
import dev.coffer.dataplane.read.RemoteReads;
import dev.coffer.dataplane.read.ReplicaReads;
import dev.coffer.dataplane.replication.RecentApplies;
import dev.coffer.dataplane.replication.ReplicaLifecycle;
import dev.coffer.dataplane.replication.ReplicationMetrics;
import dev.coffer.dataplane.storage.rocksdb.RocksDbReplicaStore;
import dev.coffer.replication.activation.PositionReporter;
import dev.coffer.replication.apply.ApplyListener;
import dev.coffer.replication.apply.ReplicationTailer;
import dev.coffer.replication.bootstrap.SnapshotBootstrap;
import dev.coffer.replication.postgres.PostgresCellMembership;
import dev.coffer.replication.postgres.PostgresLogNotifications;
import dev.coffer.replication.postgres.PostgresLogReader;
import dev.coffer.replication.postgres.PostgresShardSnapshot;
import dev.coffer.replication.postgres.PostgresShardStore;
import dev.coffer.replication.postgres.ShardDatabase;
import dev.coffer.service.admin.AdminPort;
import dev.coffer.service.config.EnvironmentSubstitution;
import dev.coffer.service.db.ConnectionPools;
import dev.coffer.service.http.CofferHttp;
import dev.coffer.service.keys.KeyHierarchy;
import dev.coffer.service.logging.LogRules;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.ManagedDataSource;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A data-plane host: tails its shard's replication log into a local RocksDB replica and serves
 * reads from it. This method is the composition root.
 */
public final class DataPlaneApplication extends Application<DataPlaneConfiguration> {
  /** Events whose apply time a token read can be told: over a minute at 100 writes/s a shard. */
  private static final int RECENT_APPLIES = 8_192;

  public static void main(String[] args) throws Exception {
    new DataPlaneApplication().run(args);
  }

  @Override
  public String getName() {
    return "coffer-data-plane";
  }

  @Override
  public void initialize(Bootstrap<DataPlaneConfiguration> bootstrap) {
    LogRules.beforeConfiguration();
    EnvironmentSubstitution.install(bootstrap);
  }

  @Override
  public void run(DataPlaneConfiguration config, Environment environment) {
    CofferHttp.configureServer((AbstractServerFactory) config.getServerFactory());
    AdminPort.restrict(environment, config.auth().adminToken(), ApplyTimesServlet.PATH);
    LogRules.afterConfiguration((AbstractServerFactory) config.getServerFactory());
    KeyHierarchy keys = KeyHierarchy.open(config.rootOfTrust());
    keys.register(environment);
    SecretCrypto crypto = keys.crypto();

    ManagedDataSource dataSource =
        ConnectionPools.build(
            config.shardStore(), environment.metrics(), "shard-store-" + config.shard());
    environment.lifecycle().manage(dataSource);
    // Hosts never migrate the schema; they refuse to start against one they do not understand.
    ShardDatabase database = ShardDatabase.validated(dataSource);

    ShardId shard = ShardId.of(config.shard());
    ReadMetrics readMetrics = new ReadMetrics(environment.metrics(), shard);
    PostgresShardStore shardStore = new PostgresShardStore(database);
    ReadService reads;
    ApplyTimes applyTimes = ApplyTimes.NONE;
    if (config.readAccessor() == DataPlaneConfiguration.ReadAccessor.REMOTE) {
      reads = new RemoteReads(shard, shardStore, crypto, readMetrics);
    } else {
      ReplicaStore replica = RocksDbReplicaStore.open(Path.of(config.replicaDirectory()));
      PostgresLogNotifications wakeups = new PostgresLogNotifications(database);
      ReplicationMetrics metrics = new ReplicationMetrics(environment.metrics(), config.shard());
      RecentApplies recent = new RecentApplies(RECENT_APPLIES);
      applyTimes = recent;
      PositionReporter reporter =
          new PositionReporter(
              HostId.of(config.hostId()),
              config.advertisedEndpoint(),
              new PostgresCellMembership(database),
              replica::appliedPosition,
              Duration.ofSeconds(2));
      PostgresLogReader logReader = new PostgresLogReader(database);
      SnapshotBootstrap bootstrap = new SnapshotBootstrap(new PostgresShardSnapshot(database), 500);
      ReplicationTailer<PositionedEvent> tailer =
          new ReplicationTailer<>(
              config.hostId(),
              logReader,
              replica,
              wakeups,
              config.applyBatchSize(),
              config.pollInterval().toJavaDuration(),
              ApplyListener.<PositionedEvent>all(metrics, recent, reporter),
              () -> bootstrap.bootstrap(replica));
      metrics.watch(tailer);
      metrics.watch(logReader);
      environment.lifecycle().manage(new ReplicaLifecycle(replica, tailer, wakeups, reporter));
      environment.healthChecks().register("replica", new ReplicaCaughtUpHealthCheck(tailer));
      reads =
          new ReplicaReads(
              shard,
              replica,
              shardStore,
              tailer::awaitApplied,
              config.readYourWritesWait().toJavaDuration(),
              crypto,
              readMetrics);
    }

    CofferHttp.install(environment, config.auth().adminToken());
    environment.jersey().register(new SecretReadResource(reads, applyTimes));
    environment.jersey().register(new ServedByFilter(HostId.of(config.hostId())));
    environment
        .admin()
        .addServlet("apply-times", new ApplyTimesServlet(new ApplyTimesPages(shard, applyTimes)))
        .addMapping(ApplyTimesServlet.PATH);
  }
}
