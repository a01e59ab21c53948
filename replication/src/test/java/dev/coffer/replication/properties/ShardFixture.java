package dev.coffer.replication.properties;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.ReplicationEventCodec;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.ShardWriteStore.VersionSealer;
import dev.coffer.core.storage.ShardWriteStore.WriteOutcome;
import dev.coffer.embeddedpostgres.PostgresInstance;
import dev.coffer.replication.postgres.PostgresLogReader;
import dev.coffer.replication.postgres.PostgresShardStore;
import dev.coffer.replication.postgres.ShardDatabase;
import dev.coffer.replication.testing.ShardTestSupport;
import dev.coffer.testkit.crypto.FakeVaultKeys;
import dev.coffer.testkit.database.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One PostgreSQL server and one shard database for the whole test class, started on first use.
 * Tries are isolated by {@link #reset(List)}, which truncates the shard's data tables: a fresh
 * database per try would cost far more than the try itself.
 *
 * <p>One real {@link PostgresShardStore} and {@link PostgresLogReader} over {@link
 * RoutedConnections}: by default on a shared autocommit connection (setup, host reads, reading the
 * store back); for a writer {@link Slot}, on that slot's manual-commit connection, so the store's
 * writes and log appends stay in an open transaction until the test commits or rolls it back. A
 * model connection reads the log raw (what a transaction really appended) and serves the naive
 * reader.
 */
final class ShardFixture {
  static final int MAX_OPEN = 3;

  /** The data tables a try writes; other tables (schema history, singleton rows) are kept. */
  private static final String TRUNCATE =
      "TRUNCATE replication_log, secret_versions, secrets, vaults RESTART IDENTITY CASCADE";

  private static ShardFixture shared;
  private static boolean hookInstalled;

  final PostgresInstance server;
  final String database;
  final PostgresShardStore store;
  final PostgresLogReader reader;
  final NaiveSeqReader naiveReader;
  final List<Slot> slots = new ArrayList<>();
  private final List<Connection> connections = new ArrayList<>();
  private final Connection sharedConnection;
  private final RoutedConnections routed;
  private final Connection model;

  /**
   * A transaction that is no log writer, in another database of the same server (as an operator's
   * session or another service's work would be): it takes an id and holds it while open.
   */
  private final Connection foreign;

  /** A writer: the real store, its transactions held open on one connection. */
  final class Slot {
    private final Connection connection;

    private Slot(Connection connection) {
      this.connection = connection;
    }

    /** The real store's put, inside this slot's open transaction. */
    WriteOutcome putSecret(VaultName vault, SecretName secret, VersionSealer sealer) {
      return routed.using(connection, () -> store.putSecret(vault, secret, sealer));
    }

    /** The real store's delete, inside this slot's open transaction. */
    WriteOutcome deleteSecret(VaultName vault, SecretName secret) {
      return routed.using(connection, () -> store.deleteSecret(vault, secret));
    }

    /**
     * The open transaction's id, assigning one (as a first write would) if it has none yet: after
     * entering the log writers' gate, as a writer does before its first write.
     */
    long transactionId() {
      try {
        ShardTestSupport.execute(connection, "SELECT log_writer_gate()");
        return ShardTestSupport.currentTxId(connection);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    void commit() {
      try {
        connection.commit();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    void rollback() {
      try {
        connection.rollback();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static synchronized ShardFixture get() {
    if (shared == null) {
      shared = new ShardFixture();
      if (!hookInstalled) {
        hookInstalled = true;
        Runtime.getRuntime()
            .addShutdownHook(new Thread(ShardFixture::closeShared, "interleavings-fixture"));
      }
    }
    return shared;
  }

  static synchronized void closeShared() {
    if (shared != null) {
      shared.close();
      shared = null;
    }
  }

  private ShardFixture() {
    server = TestDatabases.startServer();
    try {
      database = server.createDatabase(TestDatabases.uniqueName("interleavings"));
      ShardDatabase.migrate(TestDatabases.dataSource(server, database));
      sharedConnection = connect();
      routed = new RoutedConnections(sharedConnection);
      ShardDatabase shard = ShardDatabase.validated(routed);
      store = new PostgresShardStore(shard);
      reader = new PostgresLogReader(shard);
      model = connect();
      naiveReader = new NaiveSeqReader(model);
      for (int i = 0; i < MAX_OPEN; i++) {
        Connection connection = connect();
        connection.setAutoCommit(false);
        slots.add(new Slot(connection));
      }
      foreign = server.connect("postgres");
      connections.add(foreign);
      foreign.setAutoCommit(false);
    } catch (SQLException | RuntimeException e) {
      close();
      throw new IllegalStateException("could not set up the shard for the interleavings", e);
    }
  }

  private Connection connect() throws SQLException {
    Connection connection = server.connect(database);
    connections.add(connection);
    connection.setAutoCommit(true);
    // A harness bug that made two open transactions wait for each other fails, not hangs.
    ShardTestSupport.execute(connection, "SET lock_timeout = '10s'");
    // Durability is not under test, visibility is: asynchronous commit changes only the former.
    ShardTestSupport.execute(connection, "SET synchronous_commit = off");
    return connection;
  }

  /** Ends every open transaction, empties the shard and creates the vaults. */
  void reset(List<VaultName> vaults) {
    for (Slot slot : slots) {
      slot.rollback();
    }
    endForeign(false);
    try {
      ShardTestSupport.execute(sharedConnection, TRUNCATE);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    for (VaultName vault : vaults) {
      store.createVault(
          vault, FakeVaultKeys.version(1, ("key/" + vault).getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** Opens the foreign transaction and gives it an id; returns the id. */
  long beginForeign() {
    try {
      return ShardTestSupport.currentTxId(foreign);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  void endForeign(boolean commit) {
    try {
      if (commit) {
        foreign.commit();
      } else {
        foreign.rollback();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every committed row of the log, with its real position, read directly (no horizon). */
  List<PositionedEvent> allRows() {
    return rows("SELECT tx_id::text, seq, payload FROM replication_log ORDER BY tx_id, seq", null);
  }

  /** The committed rows one transaction appended. */
  List<PositionedEvent> rowsOf(long txId) {
    return rows(
        "SELECT tx_id::text, seq, payload FROM replication_log"
            + " WHERE tx_id = CAST(? AS text)::xid8 ORDER BY seq",
        Long.toString(txId));
  }

  private List<PositionedEvent> rows(String sql, String parameter) {
    try (PreparedStatement query = model.prepareStatement(sql)) {
      if (parameter != null) {
        query.setString(1, parameter);
      }
      List<PositionedEvent> rows = new ArrayList<>();
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new PositionedEvent(
                  new LogPosition(Long.parseLong(rs.getString(1)), rs.getLong(2)),
                  ReplicationEventCodec.decode(rs.getBytes(3))));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void close() {
    for (Connection connection : connections) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Closing anyway.
      }
    }
    connections.clear();
    server.close();
  }
}
