package dev.coffer.replication.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.model.VaultName;
import dev.coffer.replication.testing.ShardStoreExtension;
import dev.coffer.testkit.crypto.FakeVaultKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The wake-up connection against a real server: commits wake it, none is lost between waits, and
 * the driver's blocking check for more input is off on the pinned driver (if an upgrade changes the
 * driver's internals, this says so here rather than as a millisecond lost per event in a
 * benchmark).
 */
class PostgresLogNotificationsIT {
  private static final Duration LONG = Duration.ofSeconds(10);
  private static final Duration SHORT = Duration.ofMillis(200);

  private PostgresShardStore store;
  private PostgresLogNotifications notifications;

  @RegisterExtension static final ShardStoreExtension SHARD = new ShardStoreExtension();

  @BeforeEach
  void freshShard() {
    ShardDatabase database = SHARD.database();
    store = new PostgresShardStore(database);
    notifications = new PostgresLogNotifications(database);
  }

  @AfterEach
  void close() {
    notifications.close();
  }

  @Test
  void aCommitWakesTheWaitOnAConnectionThatChecksForMoreWithoutBlocking() {
    assertThat(notifications.await(LONG)).as("subscribing returns at once").isTrue();
    assertThat(notifications.peeksWithoutBlocking()).isTrue();

    store.createVault(VaultName.of("a"), key());

    assertThat(notifications.await(LONG)).isTrue();
    assertThat(notifications.await(SHORT)).as("nothing more was committed").isFalse();
  }

  @Test
  void commitsBetweenTwoWaitsWakeTheNextWait() {
    notifications.await(LONG);
    store.createVault(VaultName.of("a"), key());
    assertThat(notifications.await(LONG)).isTrue();

    // Committed while nobody waits: the notifications queue on the connection.
    store.createVault(VaultName.of("b"), key());
    store.createVault(VaultName.of("c"), key());

    assertThat(notifications.await(LONG)).isTrue();
  }

  @Test
  void aClosedWaitSubscribesAgainOnItsNextCall() {
    notifications.await(LONG);
    notifications.close();
    assertThat(notifications.peeksWithoutBlocking()).isFalse();

    assertThat(notifications.await(LONG)).as("subscribing again returns at once").isTrue();
    assertThat(notifications.peeksWithoutBlocking()).isTrue();
    store.createVault(VaultName.of("a"), key());
    assertThat(notifications.await(LONG)).isTrue();
  }

  private static WrappedVaultKey key() {
    return FakeVaultKeys.version(1, "wrapped-key".getBytes(StandardCharsets.UTF_8));
  }
}
