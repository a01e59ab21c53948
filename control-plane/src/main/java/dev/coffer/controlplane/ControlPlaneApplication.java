package dev.coffer.controlplane;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.coffer.controlplane.cli.OperatorCommands;
import dev.coffer.controlplane.config.KeyRotationConfig;
import dev.coffer.controlplane.config.ShardConfig;
import dev.coffer.controlplane.directory.CellDirectorySync;
import dev.coffer.controlplane.health.DatabaseHealthCheck;
import dev.coffer.controlplane.health.StaleHostsHealthCheck;
import dev.coffer.controlplane.resources.KeyAuditResource;
import dev.coffer.controlplane.resources.SecretResource;
import dev.coffer.controlplane.resources.ShardResource;
import dev.coffer.controlplane.resources.VaultKeyResource;
import dev.coffer.controlplane.resources.VaultResource;
import dev.coffer.controlplane.rotation.KeyUsageReporter;
import dev.coffer.controlplane.rotation.RewrapJob;
import dev.coffer.controlplane.rotation.VaultKeyRotation;
import dev.coffer.controlplane.secret.SecretService;
import dev.coffer.controlplane.vault.ShardHealth;
import dev.coffer.controlplane.vault.VaultService;
import dev.coffer.core.crypto.SecretCrypto;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.storage.CellMembership;
import dev.coffer.placement.ShardDirectory;
import dev.coffer.placement.postgres.BaseDatabase;
import dev.coffer.placement.postgres.PostgresKeyAuditLog;
import dev.coffer.placement.postgres.PostgresRoutingDirectory;
import dev.coffer.placement.postgres.PostgresVaultPlacementStore;
import dev.coffer.replication.activation.ActivationPromoter;
import dev.coffer.replication.activation.LogTruncator;
import dev.coffer.replication.postgres.PostgresCellMembership;
import dev.coffer.replication.postgres.PostgresLogNotifications;
import dev.coffer.replication.postgres.PostgresLogTruncation;
import dev.coffer.replication.postgres.PostgresShardStore;
import dev.coffer.replication.postgres.PostgresVaultKeyStore;
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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The control plane: takes writes and admin calls, stores secrets encrypted in their shard's store.
 * This method is the composition root: every object is built here, by hand, in dependency order.
 */
public final class ControlPlaneApplication extends Application<ControlPlaneConfiguration> {
  public static void main(String[] args) throws Exception {
    new ControlPlaneApplication().run(args);
  }

  @Override
  public String getName() {
    return "coffer-control-plane";
  }

  @Override
  public void initialize(Bootstrap<ControlPlaneConfiguration> bootstrap) {
    LogRules.beforeConfiguration();
    EnvironmentSubstitution.install(bootstrap);
    OperatorCommands.addTo(bootstrap);
  }

  @Override
  public void run(ControlPlaneConfiguration config, Environment environment) {
    CofferHttp.configureServer((AbstractServerFactory) config.getServerFactory());
    AdminPort.restrict(environment, config.auth().adminToken());
    LogRules.afterConfiguration((AbstractServerFactory) config.getServerFactory());
    KeyHierarchy keys = KeyHierarchy.open(config.rootOfTrust());
    keys.register(environment);
    SecretCrypto crypto = keys.crypto();

    ManagedDataSource baseDataSource =
        ConnectionPools.build(config.baseStore(), environment.metrics(), "base-store");
    environment.lifecycle().manage(baseDataSource);
    BaseDatabase base = BaseDatabase.migrate(baseDataSource);
    PostgresVaultPlacementStore placements = new PostgresVaultPlacementStore(base);
    environment.healthChecks().register("base-store", new DatabaseHealthCheck(placements::ping));

    Map<ShardId, ShardDirectory.Shard> shards = new LinkedHashMap<>();
    Map<ShardId, Runnable> shardProbes = new LinkedHashMap<>();
    for (ShardConfig shardConfig : config.shards()) {
      ShardId id = ShardId.of(shardConfig.id());
      ManagedDataSource dataSource =
          ConnectionPools.build(shardConfig.database(), environment.metrics(), "shard-store-" + id);
      environment.lifecycle().manage(dataSource);
      ShardDatabase database = ShardDatabase.migrate(dataSource);
      PostgresShardStore store = new PostgresShardStore(database);
      PostgresCellMembership cell = new PostgresCellMembership(database);
      shards.put(
          id,
          new ShardDirectory.Shard(id, store, store, new PostgresVaultKeyStore(database), cell));
      ActivationPromoter promoter =
          new ActivationPromoter(
              id.value(),
              cell,
              PostgresLogNotifications.hostPositions(database),
              Duration.ofMillis(500));
      environment.lifecycle().manage(promoter);
      LogTruncator truncator =
          new LogTruncator(
              id.value(),
              new PostgresLogTruncation(database),
              config.logRetention().toJavaDuration(),
              config.truncationInterval().toJavaDuration());
      environment.lifecycle().manage(truncator);
      environment
          .metrics()
          .register(
              MetricRegistry.name("coffer", "log", id.value(), "truncated-events"),
              (Gauge<Long>) truncator::deletedEvents);
      environment
          .metrics()
          .register(
              MetricRegistry.name("coffer", "activation", id.value(), "promoted-versions"),
              (Gauge<Long>) promoter::promotedVersions);
      StaleHostsHealthCheck staleHosts = new StaleHostsHealthCheck(cell, Duration.ofSeconds(15));
      environment.healthChecks().register("cell-" + id, staleHosts);
      environment
          .metrics()
          .register(
              MetricRegistry.name("coffer", "cell", id.value(), "silent-hosts"),
              (Gauge<Integer>) staleHosts::silentHosts);
      shardProbes.put(id, store::position);
      placements.registerShard(id);
      environment
          .healthChecks()
          .register("shard-store-" + id, new DatabaseHealthCheck(store::position));
    }
    ShardDirectory directory = new ShardDirectory(placements, shards);

    PostgresKeyAuditLog audit = new PostgresKeyAuditLog(baseDataSource);
    // A probe is one small query; a second bounds how long a hung store counts as healthy.
    ShardHealth shardHealth =
        new ShardHealth(shardProbes, Duration.ofSeconds(1), Duration.ofSeconds(1));
    environment.lifecycle().manage(shardHealth);
    Map<ShardId, CellMembership> cells = new LinkedHashMap<>();
    shards.forEach((id, shard) -> cells.put(id, shard.cell()));
    CellDirectorySync cellSync =
        new CellDirectorySync(
            new PostgresRoutingDirectory(base),
            cells,
            config.instance().advertised(),
            config.instance().cellSyncInterval().toJavaDuration());
    environment.lifecycle().manage(cellSync);
    // The base log is tailed by routers, which register nowhere: it is truncated by age alone, and
    // a
    // router further behind bootstraps from a snapshot.
    environment
        .lifecycle()
        .manage(
            new LogTruncator(
                "base",
                base.truncation(),
                config.logRetention().toJavaDuration(),
                config.truncationInterval().toJavaDuration()));
    environment
        .metrics()
        .register(
            MetricRegistry.name("coffer", "routing", "cell-sync-failures"),
            (Gauge<Long>) cellSync::failures);
    VaultService vaults = new VaultService(placements, directory, crypto, audit, shardHealth);
    vaults.completeInterruptedCreations();
    SecretService secrets = new SecretService(directory, crypto);
    KeyRotationConfig rotationConfig = config.keyRotation();
    RewrapJob rewrapJob =
        new RewrapJob(
            directory,
            crypto,
            audit,
            rotationConfig.rewrapPerSecond(),
            rotationConfig.batchSize(),
            rotationConfig.pollInterval());
    environment.lifecycle().manage(rewrapJob);
    environment
        .metrics()
        .register(
            MetricRegistry.name("coffer", "keys", "rewrapped-data-keys"),
            (Gauge<Long>) rewrapJob::rewrapped);
    environment
        .metrics()
        .register(
            MetricRegistry.name("coffer", "keys", "rewrap-failures"),
            (Gauge<Long>) rewrapJob::failures);
    VaultKeyRotation rotation = new VaultKeyRotation(directory, crypto, audit, rewrapJob::wake);
    KeyUsageReporter usage =
        new KeyUsageReporter(
            keys.budget(),
            directory,
            rotation,
            rotationConfig.automatic(),
            rotationConfig.usageReportInterval());
    environment.lifecycle().manage(usage);

    CofferHttp.install(environment, config.auth().adminToken());
    environment.jersey().register(new VaultResource(vaults));
    environment.jersey().register(new SecretResource(secrets));
    environment.jersey().register(new ShardResource(directory));
    environment.jersey().register(new KeyAuditResource(audit));
    environment.jersey().register(new VaultKeyResource(rotation));
  }
}
