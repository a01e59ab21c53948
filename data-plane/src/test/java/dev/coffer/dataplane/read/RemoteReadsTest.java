package dev.coffer.dataplane.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.ReplicationToken;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.read.RevealedSecret;
import dev.coffer.testkit.storage.InMemoryReplicaStore;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@code readAccessor: remote}: every answer from the shard store, tokens checked, not awaited. */
class RemoteReadsTest {
  private static final VaultName VAULT = VaultName.of("payments");
  private static final SecretName DB = SecretName.of("db-password");

  private final ShardHistory history = new ShardHistory();
  private final InMemoryReplicaStore store = new InMemoryReplicaStore();
  private final MetricRegistry registry = new MetricRegistry();
  private final RemoteReads reads =
      new RemoteReads(
          ShardHistory.SHARD, store, history.crypto, new ReadMetrics(registry, ShardHistory.SHARD));

  @Test
  void answersFromTheShardStoreWithItsPosition() {
    history.createVault(VAULT);
    ReplicationToken token = history.put(VAULT, DB, 1, "only");
    history.applyAll(store);

    Served<RevealedSecret> served = reads.get(VAULT, DB, OptionalLong.empty(), Optional.of(token));

    assertThat(served.from()).isEqualTo(ServedFrom.REMOTE);
    assertThat(served.position()).isEqualTo(store.position());
    assertThat(served.answer().value().asUtf8()).contains("only");
    assertThat(registry.meter("coffer.reads.shard-1.served.remote").getCount()).isEqualTo(1);
  }

  @Test
  void refusesATokenOfAnotherShard() {
    ReplicationToken foreign = new ReplicationToken(ShardId.of("shard-2"), LogPosition.ZERO);

    assertThatThrownBy(() -> reads.list(VAULT, Optional.empty(), 10, Optional.of(foreign)))
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REPLICATION_TOKEN));
  }
}
