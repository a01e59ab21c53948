package dev.coffer.controlplane.cli;

import dev.coffer.controlplane.ControlPlaneConfiguration;
import dev.coffer.core.crypto.KeyRef;
import dev.coffer.core.crypto.RecoveryPublicKey;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.replication.postgres.PostgresVaultKeys;
import dev.coffer.service.keys.KeyHierarchy;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code keys-status}: the root key providers (available or not, current key version), the recovery
 * key, and for every vault the keys that wrap its vault key, with the rewrap progress: how many
 * vault keys are wrapped by the current version of every root key and the recovery key.
 */
final class KeysStatusCommand extends KeyCommand {
  private static final int PAGE = 500;

  KeysStatusCommand() {
    super("keys-status", "Shows root key providers, the recovery key and every vault key");
  }

  @Override
  public void configure(Subparser subparser) {
    super.configure(subparser);
    subparser
        .addArgument("--verify")
        .action(Arguments.storeTrue())
        .help("also unwrap every vault key through the providers, to find keys they cannot open");
  }

  @Override
  void execute(Namespace namespace, ControlPlaneConfiguration config, PrintStream out) {
    try (KeyHierarchy keys = KeyHierarchy.open(config.rootOfTrust());
        OperatorSession session = new OperatorSession(config, out)) {
      out.println("Root key providers:");
      List<KeyRef> current = new ArrayList<>();
      boolean allAvailable = true;
      for (KeyHierarchy.ProviderStatus status : keys.status()) {
        if (status.available()) {
          KeyRef ref = new KeyRef(status.config().keyId(), status.keyVersion().orElseThrow());
          current.add(ref);
          out.println("  available    " + status.config() + ", current version " + ref.version());
        } else {
          allAvailable = false;
          out.println(
              "  UNAVAILABLE  " + status.config() + ": " + status.failure().orElse("no answer"));
        }
      }
      Optional<RecoveryPublicKey> recovery = keys.roots().recovery();
      out.println(
          "Recovery key: "
              + recovery
                  .map(
                      r ->
                          r.keyRef().id()
                              + " ("
                              + config.rootOfTrust().recoveryPublicKeyFile().orElseThrow()
                              + ")")
                  .orElse("NONE configured: vault keys are lost if every provider is"));
      recovery.ifPresent(r -> current.add(r.keyRef()));

      out.println("Vault keys (vault: vault key version, wrapped by):");
      long total = 0;
      long upToDate = 0;
      long unwrappable = 0;
      for (Map.Entry<ShardId, PostgresVaultKeys> shard : session.shards().entrySet()) {
        Optional<VaultName> after = Optional.empty();
        while (true) {
          List<PostgresVaultKeys.StoredKey> page = shard.getValue().list(after, PAGE);
          for (PostgresVaultKeys.StoredKey stored : page) {
            for (WrappedVaultKey key : stored.keys().versions()) {
              List<KeyRef> wrappedBy = key.wrappedBy();
              // With a provider unavailable its current version is unknown: only check the others.
              boolean isCurrent =
                  allAvailable
                      ? KeysRewrapCommand.isCurrent(key, current)
                      : wrappedBy.containsAll(current);
              String verified = "";
              if (namespace.getBoolean("verify")) {
                try {
                  Arrays.fill(keys.roots().unwrap(stored.vault(), key), (byte) 0);
                } catch (CofferException e) {
                  unwrappable++;
                  verified = "  CANNOT UNWRAP (" + e.code() + ")";
                }
              }
              total++;
              upToDate += isCurrent ? 1 : 0;
              out.println(
                  "  "
                      + shard.getKey()
                      + "/"
                      + stored.vault()
                      + ": v"
                      + key.version()
                      + ", "
                      + wrappedBy.stream().map(KeyRef::toString).collect(Collectors.joining(" "))
                      + (key.version() == stored.keys().primaryVersion() ? "" : " (retired)")
                      + (isCurrent ? "" : "  (needs keys-rewrap)")
                      + verified);
            }
          }
          if (page.size() < PAGE) {
            break;
          }
          after = Optional.of(page.get(page.size() - 1).vault());
        }
      }
      out.println(
          "Rewrap progress: "
              + upToDate
              + " of "
              + total
              + " vault key versions are wrapped by the current version of every available root key"
              + (recovery.isPresent() ? " and the recovery key." : ".")
              + (allAvailable ? "" : " (Unavailable providers are not counted.)"));
      if (unwrappable > 0) {
        throw new Failure(
            unwrappable
                + " vault key(s) cannot be unwrapped by the configured providers: if they were"
                + " lost, restore with recovery-restore.");
      }
    }
  }
}
