package dev.coffer.dataplane;

import dev.coffer.core.crypto.SecretCrypto;
import dev.coffer.core.storage.ReplicaStore;
import dev.coffer.core.storage.SecretReadAccessor;
import dev.coffer.dataplane.api.SecretReadResource;
import dev.coffer.dataplane.health.ReplicaCaughtUpHealthCheck;
import dev.coffer.dataplane.read.ReadService;
import dev.coffer.dataplane.replication.ReplicaLifecycle;
import dev.coffer.dataplane.replication.ReplicationMetrics;
import dev.coffer.dataplane.storage.rocksdb.RocksDbReplicaStore;
import dev.coffer.replication.apply.ReplicationTailer;
import dev.coffer.replication.postgres.PostgresLogNotifications;
import dev.coffer.replication.postgres.PostgresLogReader;
import dev.coffer.replication.postgres.PostgresShardStore;
import dev.coffer.replication.postgres.ShardDatabase;
import dev.coffer.service.http.CofferHttp;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.ManagedDataSource;
import java.nio.file.Path;

/**
 * A data-plane host: tails its shard's replication log into a local RocksDB replica and serves
 * reads from it. This method is the composition root.
 */
public final class DataPlaneApplication extends Application<DataPlaneConfiguration> {
  public static void main(String[] args) throws Exception {
    new DataPlaneApplication().run(args);
  }

  @Override
  public String getName() {
    return "coffer-data-plane";
  }

  @Override
  public void run(DataPlaneConfiguration config, Environment environment) {
    CofferHttp.disableDefaultExceptionMappers((AbstractServerFactory) config.getServerFactory());
    SecretCrypto crypto = config.rootKey().buildCrypto();

    ManagedDataSource dataSource =
        config.shardStore().build(environment.metrics(), "shard-store-" + config.shard());
    environment.lifecycle().manage(dataSource);
    // Hosts never migrate the schema; they refuse to start against one they do not understand.
    ShardDatabase database = ShardDatabase.validated(dataSource);

    SecretReadAccessor accessor;
    String servedFrom;
    if (config.readAccessor() == DataPlaneConfiguration.ReadAccessor.REMOTE) {
      accessor = new PostgresShardStore(database);
      servedFrom = "remote";
    } else {
      ReplicaStore replica = RocksDbReplicaStore.open(Path.of(config.replicaDirectory()));
      PostgresLogNotifications wakeups = new PostgresLogNotifications(database);
      ReplicationMetrics metrics = new ReplicationMetrics(environment.metrics(), config.shard());
      ReplicationTailer tailer =
          new ReplicationTailer(
              config.hostId(),
              new PostgresLogReader(database),
              replica,
              wakeups,
              config.applyBatchSize(),
              config.pollInterval().toJavaDuration(),
              metrics);
      metrics.watch(tailer);
      environment.lifecycle().manage(new ReplicaLifecycle(replica, tailer, wakeups));
      environment.healthChecks().register("replica", new ReplicaCaughtUpHealthCheck(tailer));
      accessor = replica;
      servedFrom = "local";
    }

    CofferHttp.install(environment, config.auth().adminToken());
    environment
        .jersey()
        .register(new SecretReadResource(new ReadService(accessor, crypto, servedFrom)));
  }
}
