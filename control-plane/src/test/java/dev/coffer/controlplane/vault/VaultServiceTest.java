package dev.coffer.controlplane.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.crypto.SecretCrypto;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.KeyAuditLog;
import dev.coffer.core.storage.SecretReadAccessor;
import dev.coffer.core.storage.ShardWriteStore;
import dev.coffer.core.storage.VaultPlacementStore;
import dev.coffer.core.storage.VaultPlacementStore.Placement;
import dev.coffer.placement.ShardDirectory;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Placement of new vaults when shard databases are down, over stores faked in memory; the same with
 * real PostgreSQL servers is {@code PlacementIT}.
 */
class VaultServiceTest {
  private static final ShardId ONE = ShardId.of("shard-1");
  private static final ShardId TWO = ShardId.of("shard-2");

  private final Placements placements = new Placements();
  private final FakeShard one = new FakeShard(ONE);
  private final FakeShard two = new FakeShard(TWO);
  private final ShardHealth health = ShardHealth.passive();
  private final VaultService vaults =
      new VaultService(
          placements,
          new ShardDirectory(placements, Map.of(ONE, one.shard(), TWO, two.shard())),
          fake(SecretCrypto.class, (method, args) -> null),
          fake(KeyAuditLog.class, (method, args) -> null),
          health);

  @Test
  void aCreateSkipsAShardWhoseDatabaseIsDownAndLeavesNoReservationThere() {
    one.down = true; // shard-1 has fewer vaults (none), so it would be chosen first

    VaultService.Created created = vaults.create("admin", VaultName.of("payments"));

    assertThat(created.placement().shard()).isEqualTo(TWO);
    assertThat(placements.rows.values())
        .containsExactly(
            new Placement(VaultName.of("payments"), TWO, Placement.State.ACTIVE, Instant.EPOCH));
    assertThat(health.healthy(ONE)).isFalse();
  }

  @Test
  void aShardMarkedDownIsNotTriedAgain() {
    one.down = true;
    vaults.create("admin", VaultName.of("first"));
    int attempts = one.calls.get();

    for (String name : List.of("second", "third", "fourth")) {
      assertThat(vaults.create("admin", VaultName.of(name)).placement().shard()).isEqualTo(TWO);
    }

    assertThat(one.calls.get()).isEqualTo(attempts);
  }

  @Test
  void withEveryShardDownACreateIsUnavailableAndARetryLaterSucceeds() {
    one.down = true;
    two.down = true;

    assertThatThrownBy(() -> vaults.create("admin", VaultName.of("payments")))
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
              assertThat(e.getMessage())
                  .contains("No shard is available")
                  .doesNotContain("payments");
            });
    assertThat(placements.rows).isEmpty();

    // Nothing is healthy now: refused without trying a store.
    int attempts = one.calls.get() + two.calls.get();
    assertThatThrownBy(() -> vaults.create("admin", VaultName.of("payments")))
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE));
    assertThat(one.calls.get() + two.calls.get()).isEqualTo(attempts);

    // The shard's database is back and a probe has seen it answer.
    two.down = false;
    ShardHealth probed =
        new ShardHealth(
            Map.of(ONE, () -> one.probe(), TWO, () -> two.probe()),
            java.time.Duration.ofDays(1),
            java.time.Duration.ofSeconds(5));
    probed.start();
    probed.probeAll();
    probed.stop();
    VaultService recovered =
        new VaultService(
            placements,
            new ShardDirectory(placements, Map.of(ONE, one.shard(), TWO, two.shard())),
            fake(SecretCrypto.class, (method, args) -> null),
            fake(KeyAuditLog.class, (method, args) -> null),
            probed);
    assertThat(probed.healthy(ONE)).isFalse();
    assertThat(recovered.create("admin", VaultName.of("payments")).placement().shard())
        .isEqualTo(TWO);
  }

  /** One shard whose store either answers or is down, counting the calls that reach it. */
  private static final class FakeShard {
    final ShardId id;
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean down;

    FakeShard(ShardId id) {
      this.id = id;
    }

    void probe() {
      if (down) {
        throw unavailable();
      }
    }

    ShardDirectory.Shard shard() {
      SecretReadAccessor reads =
          fake(
              SecretReadAccessor.class,
              (method, args) -> {
                calls.incrementAndGet();
                probe();
                return method.getName().equals("vault") ? Optional.empty() : null;
              });
      ShardWriteStore writes =
          fake(
              ShardWriteStore.class,
              (method, args) -> {
                calls.incrementAndGet();
                probe();
                return new ShardWriteStore.WriteOutcome(1, new LogPosition(7, 0));
              });
      return new ShardDirectory.Shard(id, writes, reads, null, null);
    }

    private static CofferException unavailable() {
      return new CofferException(ErrorCode.STORE_UNAVAILABLE, "The shard store is unavailable.");
    }
  }

  /** The base store's placements in memory. */
  private static final class Placements implements VaultPlacementStore {
    final Map<VaultName, Placement> rows = new LinkedHashMap<>();

    @Override
    public void registerShard(ShardId shard) {}

    @Override
    public List<ShardId> shards() {
      return List.of(ONE, TWO);
    }

    @Override
    public synchronized Map<ShardId, Long> vaultCounts() {
      Map<ShardId, Long> counts = new TreeMap<>(Map.of(ONE, 0L, TWO, 0L));
      rows.values().forEach(p -> counts.merge(p.shard(), 1L, Long::sum));
      return counts;
    }

    @Override
    public synchronized boolean reserve(VaultName vault, ShardId shard) {
      return rows.putIfAbsent(
              vault, new Placement(vault, shard, Placement.State.CREATING, Instant.EPOCH))
          == null;
    }

    @Override
    public synchronized void release(VaultName vault, ShardId shard) {
      rows.computeIfPresent(
          vault,
          (v, p) -> p.shard().equals(shard) && p.state() == Placement.State.CREATING ? null : p);
    }

    @Override
    public synchronized void markActive(VaultName vault) {
      rows.computeIfPresent(
          vault, (v, p) -> new Placement(v, p.shard(), Placement.State.ACTIVE, p.createdAt()));
    }

    @Override
    public synchronized Optional<Placement> find(VaultName vault) {
      return Optional.ofNullable(rows.get(vault));
    }

    @Override
    public List<Placement> list(Optional<VaultName> after, int limit) {
      return List.of();
    }

    @Override
    public List<Placement> creating() {
      return List.of();
    }
  }

  private interface Answer {
    Object answer(java.lang.reflect.Method method, Object[] args);
  }

  /** An implementation of {@code type} whose every method answers with {@code answer}. */
  private static <T> T fake(Class<T> type, Answer answer) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              if (method.isDefault()) {
                return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
              }
              return answer.answer(method, args);
            }));
  }
}
