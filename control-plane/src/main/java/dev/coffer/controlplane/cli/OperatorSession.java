package dev.coffer.controlplane.cli;

import com.codahale.metrics.MetricRegistry;
import dev.coffer.controlplane.ControlPlaneConfiguration;
import dev.coffer.controlplane.config.ShardConfig;
import dev.coffer.core.audit.KeyAuditEntry;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.VaultKeyStore;
import dev.coffer.placement.postgres.PostgresKeyAuditLog;
import dev.coffer.placement.postgres.PostgresVaultPlacementStore;
import dev.coffer.replication.postgres.PostgresVaultKeyStore;
import dev.coffer.replication.postgres.PostgresVaultKeys;
import dev.coffer.replication.postgres.ShardDatabase;
import dev.coffer.service.db.ConnectionPools;
import io.dropwizard.db.ManagedDataSource;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stores an operator command works on, opened on first use and closed with the command: the
 * base store for the key audit trail and each shard's vault keys.
 */
final class OperatorSession implements AutoCloseable {
  private final ControlPlaneConfiguration config;
  private final PrintStream out;
  private final MetricRegistry metrics = new MetricRegistry();
  private final List<ManagedDataSource> open = new ArrayList<>();
  private PostgresKeyAuditLog audit;
  private Map<ShardId, PostgresVaultKeys> shards;
  private Map<ShardId, ShardDatabase> databases;

  OperatorSession(ControlPlaneConfiguration config, PrintStream out) {
    this.config = config;
    this.out = out;
  }

  /**
   * Records a key operation. An operation that happened is not undone because the trail cannot be
   * reached; the operator is told instead, so that it can be recorded by hand.
   */
  void record(KeyAuditEntry entry) {
    try {
      if (audit == null) {
        ManagedDataSource base =
            start(ConnectionPools.build(config.baseStore(), metrics, "base-store"));
        PostgresVaultPlacementStore.migrate(base);
        audit = new PostgresKeyAuditLog(base);
      }
      audit.append(entry);
    } catch (RuntimeException e) {
      out.println(
          "warning: the key audit trail could not be written ("
              + e.getClass().getSimpleName()
              + "); not recorded: "
              + entry.operation()
              + " "
              + entry.subject()
              + " "
              + entry.outcome());
    }
  }

  Map<ShardId, PostgresVaultKeys> shards() {
    if (shards == null) {
      Map<ShardId, PostgresVaultKeys> opened = new LinkedHashMap<>();
      databases().forEach((id, database) -> opened.put(id, new PostgresVaultKeys(database)));
      shards = opened;
    }
    return shards;
  }

  /**
   * The key store of the shard that holds {@code vault}.
   *
   * @throws CofferException VAULT_NOT_FOUND when no configured shard holds it
   */
  VaultKeyStore keyStoreOf(VaultName vault) {
    for (ShardDatabase database : databases().values()) {
      PostgresVaultKeyStore keys = new PostgresVaultKeyStore(database);
      try {
        keys.status(vault);
        return keys;
      } catch (CofferException e) {
        if (e.code() != ErrorCode.VAULT_NOT_FOUND) {
          throw e;
        }
      }
    }
    throw new CofferException(
        ErrorCode.VAULT_NOT_FOUND, "No configured shard holds a vault of that name.");
  }

  private Map<ShardId, ShardDatabase> databases() {
    if (databases == null) {
      Map<ShardId, ShardDatabase> opened = new LinkedHashMap<>();
      for (ShardConfig shard : config.shards()) {
        ManagedDataSource dataSource =
            start(ConnectionPools.build(shard.database(), metrics, "shard-store-" + shard.id()));
        opened.put(ShardId.of(shard.id()), ShardDatabase.migrate(dataSource));
      }
      databases = opened;
    }
    return databases;
  }

  private ManagedDataSource start(ManagedDataSource dataSource) {
    try {
      dataSource.start();
    } catch (Exception e) {
      throw new IllegalStateException("a database could not be opened", e);
    }
    open.add(dataSource);
    return dataSource;
  }

  @Override
  public void close() {
    for (ManagedDataSource dataSource : open) {
      try {
        dataSource.stop();
      } catch (Exception e) {
        // Closing at exit; nothing is left to protect.
      }
    }
  }
}
