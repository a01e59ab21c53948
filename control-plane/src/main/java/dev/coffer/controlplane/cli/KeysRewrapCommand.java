package dev.coffer.controlplane.cli;

import dev.coffer.controlplane.ControlPlaneConfiguration;
import dev.coffer.core.audit.KeyOperation;
import dev.coffer.core.crypto.KeyRef;
import dev.coffer.core.crypto.RootOfTrust;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.service.keys.KeyHierarchy;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * {@code keys-rewrap}: wraps every vault key that is not wrapped by exactly the current version of
 * every root key and the recovery key afresh: after {@code root-rotate}, after adding or removing a
 * provider or configuring a recovery key. Online and resumable.
 */
final class KeysRewrapCommand extends KeyCommand {
  KeysRewrapCommand() {
    super("keys-rewrap", "Wraps vault keys by the current root keys and recovery key");
  }

  @Override
  void execute(Namespace namespace, ControlPlaneConfiguration config, PrintStream out) {
    try (KeyHierarchy keys = KeyHierarchy.open(config.rootOfTrust());
        OperatorSession session = new OperatorSession(config, out)) {
      rewrapAll(keys, session, out);
    }
  }

  static void rewrapAll(KeyHierarchy keys, OperatorSession session, PrintStream out) {
    List<KeyRef> current = currentKeys(keys);
    RootOfTrust roots = keys.roots();
    out.println("Rewrapping vault keys by " + current + " ...");
    VaultKeySweep.Result result =
        new VaultKeySweep(session, out, KeyOperation.VAULT_KEY_REWRAPPED)
            .run(
                (vault, key) ->
                    isCurrent(key, current)
                        ? Optional.empty()
                        : Optional.of(roots.rewrap(vault, key)));
    out.println(
        "Rewrapped "
            + result.replaced()
            + ", already current "
            + result.unchanged()
            + ", failed "
            + result.failed()
            + ".");
    if (result.failed() > 0) {
      throw new Failure(result.failed() + " vault key(s) were not rewrapped; see above.");
    }
  }

  /**
   * Whether a vault key version is wrapped by exactly the current keys: by each of them, and by no
   * other. A wrapping by a removed provider (a decommissioned HSM, a keystore thought compromised)
   * must go, or anyone holding that old key could still unwrap the vault key.
   */
  static boolean isCurrent(WrappedVaultKey key, List<KeyRef> current) {
    return Set.copyOf(key.wrappedBy()).equals(Set.copyOf(current));
  }

  /** Every provider must be available: a rewrap wraps by all of them. */
  static List<KeyRef> currentKeys(KeyHierarchy keys) {
    List<KeyRef> current = new ArrayList<>();
    for (KeyHierarchy.ProviderStatus status : keys.status()) {
      if (!status.available()) {
        throw new Failure(
            status.config()
                + " is unavailable ("
                + status.failure().orElse("no answer")
                + "); every configured provider must be available to wrap vault keys."
                + " Run keys-init if its key does not exist yet.");
      }
      current.add(new KeyRef(status.config().keyId(), status.keyVersion().orElseThrow()));
    }
    keys.roots().recovery().ifPresent(r -> current.add(r.keyRef()));
    return current;
  }
}
