package dev.coffer.controlplane.cli;

import dev.coffer.controlplane.ControlPlaneConfiguration;
import dev.coffer.core.audit.KeyAuditEntry;
import dev.coffer.core.audit.KeyOperation;
import dev.coffer.core.crypto.KeyRef;
import dev.coffer.core.crypto.NonceBudget;
import dev.coffer.core.crypto.RootKeyProvider;
import dev.coffer.core.error.CofferException;
import dev.coffer.service.config.LocalProviderConfig;
import dev.coffer.service.config.RootKeyProviderConfig;
import java.io.PrintStream;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * {@code keys-init}: creates the root key of every configured provider that has none yet (a new
 * keystore file, a key in the HSM token), and checks that the others open. Safe to run again.
 */
final class KeysInitCommand extends KeyCommand {
  KeysInitCommand() {
    super("keys-init", "Creates the root keys of configured providers that have none yet");
  }

  @Override
  void execute(Namespace namespace, ControlPlaneConfiguration config, PrintStream out) {
    int failures = 0;
    try (OperatorSession session = new OperatorSession(config, out)) {
      for (RootKeyProviderConfig provider : config.rootOfTrust().providers()) {
        String opened = tryOpen(provider);
        if (opened == null) {
          out.println("exists   " + provider + ", version " + versionOf(provider));
          continue;
        }
        if (provider instanceof LocalProviderConfig) {
          out.println("FAILED   " + provider + ": " + opened);
          failures++;
          continue;
        }
        try {
          KeyRef created = provider.createKey();
          out.println("created  " + provider + ", version " + created.version());
          session.record(
              KeyAuditEntry.succeeded(actor(), KeyOperation.ROOT_KEY_CREATED, "root/" + created));
        } catch (CofferException e) {
          out.println(
              "FAILED   "
                  + provider
                  + ": "
                  + opened
                  + " Creating it failed too: "
                  + e.getMessage());
          session.record(
              KeyAuditEntry.failed(
                  actor(),
                  KeyOperation.ROOT_KEY_CREATED,
                  "root/" + provider.keyId(),
                  e.code().name()));
          failures++;
        }
      }
    }
    if (failures > 0) {
      throw new Failure(failures + " root key provider(s) could not be opened or created.");
    }
    out.println("Every configured root key provider is ready.");
  }

  /** Null when the provider opens, else why not. */
  @SuppressWarnings("try") // opened only to be closed again
  private static String tryOpen(RootKeyProviderConfig provider) {
    try (RootKeyProvider open = provider.open(NonceBudget.withDefaults())) {
      return null;
    } catch (CofferException | IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static int versionOf(RootKeyProviderConfig provider) {
    try (RootKeyProvider open = provider.open(NonceBudget.withDefaults())) {
      return open.keyVersion();
    }
  }
}
