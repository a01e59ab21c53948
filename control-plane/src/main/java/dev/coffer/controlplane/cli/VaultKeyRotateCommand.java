package dev.coffer.controlplane.cli;

import dev.coffer.controlplane.ControlPlaneConfiguration;
import dev.coffer.core.audit.KeyAuditEntry;
import dev.coffer.core.audit.KeyOperation;
import dev.coffer.core.crypto.SecretCrypto;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.VaultKeyStore;
import dev.coffer.replication.postgres.PostgresVaultKeys;
import dev.coffer.service.keys.KeyHierarchy;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code vault-key-rotate --vault NAME | --all}: gives vault keys a new primary version, as {@code
 * POST /v1/vaults/{vault}/keys/rotate} does. Running control planes rewrap the old data keys in the
 * background ({@code vault-key-status} shows how far they are).
 */
final class VaultKeyRotateCommand extends KeyCommand {
  VaultKeyRotateCommand() {
    super("vault-key-rotate", "Gives vault keys a new primary version; data keys follow");
  }

  @Override
  public void configure(Subparser subparser) {
    super.configure(subparser);
    subparser.addArgument("--vault").dest("vault").help("the vault whose key to rotate");
    subparser
        .addArgument("--all")
        .dest("all")
        .action(Arguments.storeTrue())
        .help("rotate the key of every vault on every configured shard");
  }

  @Override
  void execute(Namespace namespace, ControlPlaneConfiguration config, PrintStream out) {
    String vault = namespace.getString("vault");
    boolean all = namespace.getBoolean("all");
    if ((vault == null) == !all) {
      throw new Failure("Name one vault with --vault NAME, or give --all.");
    }
    try (KeyHierarchy keys = KeyHierarchy.open(config.rootOfTrust());
        OperatorSession session = new OperatorSession(config, out)) {
      List<VaultName> vaults = all ? allVaults(session) : List.of(VaultName.of(vault));
      int failed = 0;
      for (VaultName name : vaults) {
        failed += rotate(keys.crypto(), session, name, out) ? 0 : 1;
      }
      out.println(
          "Rotated " + (vaults.size() - failed) + " of " + vaults.size() + " vault key(s).");
      if (failed > 0) {
        throw new Failure(failed + " vault key(s) were not rotated; see above.");
      }
    }
  }

  private static boolean rotate(
      SecretCrypto crypto, OperatorSession session, VaultName vault, PrintStream out) {
    String subject = "vault/" + vault + "/key";
    try {
      VaultKeyStore store = session.keyStoreOf(vault);
      VaultKeyStore.KeyChange change =
          store.rotate(vault, version -> crypto.newVaultKey(vault, version));
      session.record(
          KeyAuditEntry.succeeded(
              actor(), KeyOperation.VAULT_KEY_ROTATED, subject + "/v" + change.primaryVersion()));
      out.println("  " + vault + ": now version " + change.primaryVersion());
      return true;
    } catch (CofferException e) {
      session.record(
          KeyAuditEntry.failed(actor(), KeyOperation.VAULT_KEY_ROTATED, subject, e.code().name()));
      out.println("  " + vault + ": " + e.code() + ": " + e.getMessage());
      return false;
    }
  }

  private static List<VaultName> allVaults(OperatorSession session) {
    List<VaultName> vaults = new ArrayList<>();
    for (PostgresVaultKeys shard : session.shards().values()) {
      Optional<VaultName> after = Optional.empty();
      while (true) {
        List<PostgresVaultKeys.StoredKey> page = shard.list(after, 500);
        page.forEach(stored -> vaults.add(stored.vault()));
        if (page.size() < 500) {
          break;
        }
        after = Optional.of(page.get(page.size() - 1).vault());
      }
    }
    return vaults;
  }
}
