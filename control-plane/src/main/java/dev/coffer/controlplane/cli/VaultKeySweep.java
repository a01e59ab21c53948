package dev.coffer.controlplane.cli;

import dev.coffer.core.audit.KeyAuditEntry;
import dev.coffer.core.audit.KeyOperation;
import dev.coffer.core.crypto.VaultKeyRing;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.replication.postgres.PostgresVaultKeys;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Walks every vault key version of every shard and replaces those a function wraps afresh, while
 * the servers keep running: a replacement holds the same key, so secrets sealed under it stay
 * readable throughout, and hosts pick it up by replication.
 */
final class VaultKeySweep {
  private static final int PAGE = 500;

  /** What to do with one vault key: a replacement, or empty to leave it as it is. */
  @FunctionalInterface
  interface Rewrap {
    Optional<WrappedVaultKey> apply(VaultName vault, WrappedVaultKey current);
  }

  /** How a sweep went. */
  record Result(long replaced, long unchanged, long failed) {}

  private final OperatorSession session;
  private final PrintStream out;
  private final KeyOperation operation;

  VaultKeySweep(OperatorSession session, PrintStream out, KeyOperation operation) {
    this.session = session;
    this.out = out;
    this.operation = operation;
  }

  Result run(Rewrap rewrap) {
    long replaced = 0;
    long unchanged = 0;
    long failed = 0;
    for (Map.Entry<ShardId, PostgresVaultKeys> shard : session.shards().entrySet()) {
      Optional<VaultName> after = Optional.empty();
      while (true) {
        List<PostgresVaultKeys.StoredKey> page = shard.getValue().list(after, PAGE);
        for (PostgresVaultKeys.StoredKey stored : page) {
          String subject = "vault/" + stored.vault() + "/key";
          try {
            Optional<VaultKeyRing> replacement = rewrapRing(rewrap, stored);
            if (replacement.isEmpty()) {
              unchanged++;
              continue;
            }
            if (shard.getValue().replace(stored, replacement.get()).isEmpty()) {
              out.println(
                  "  "
                      + stored.vault()
                      + ": changed while this ran; run the command again to include it");
              failed++;
              continue;
            }
            session.record(KeyAuditEntry.succeeded(KeyCommand.actor(), operation, subject));
            replaced++;
          } catch (CofferException e) {
            out.println("  " + stored.vault() + ": " + e.code() + ": " + e.getMessage());
            session.record(
                KeyAuditEntry.failed(KeyCommand.actor(), operation, subject, e.code().name()));
            failed++;
          }
        }
        if (page.size() < PAGE) {
          break;
        }
        after = Optional.of(page.get(page.size() - 1).vault());
      }
      out.println("  " + shard.getKey() + ": done");
    }
    return new Result(replaced, unchanged, failed);
  }

  /** Every version of the ring the function replaces; empty when it replaces none. */
  private static Optional<VaultKeyRing> rewrapRing(
      Rewrap rewrap, PostgresVaultKeys.StoredKey stored) {
    boolean[] changed = {false};
    VaultKeyRing ring =
        stored
            .keys()
            .map(
                key -> {
                  Optional<WrappedVaultKey> replacement = rewrap.apply(stored.vault(), key);
                  changed[0] |= replacement.isPresent();
                  return replacement.orElse(key);
                });
    return changed[0] ? Optional.of(ring) : Optional.empty();
  }
}
