package dev.coffer.controlplane.cli;

import dev.coffer.controlplane.ControlPlaneConfiguration;
import dev.coffer.core.audit.KeyAuditEntry;
import dev.coffer.core.audit.KeyOperation;
import dev.coffer.core.crypto.KeyRef;
import dev.coffer.core.error.CofferException;
import dev.coffer.service.config.RootKeyProviderConfig;
import dev.coffer.service.keys.KeyHierarchy;
import java.io.PrintStream;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code root-rotate --key-id ID}: adds a new version of one provider's root key, then rewraps
 * every vault key under it. Old versions stay in the provider, so nothing becomes unreadable;
 * running servers load the new version when they first meet a vault key wrapped by it.
 */
final class RootRotateCommand extends KeyCommand {
  RootRotateCommand() {
    super("root-rotate", "Adds a new version of a root key and rewraps vault keys under it");
  }

  @Override
  public void configure(Subparser subparser) {
    super.configure(subparser);
    subparser
        .addArgument("--key-id")
        .dest("keyId")
        .required(true)
        .help("the keyId of the provider whose key gets a new version");
  }

  @Override
  void execute(Namespace namespace, ControlPlaneConfiguration config, PrintStream out) {
    String keyId = namespace.getString("keyId");
    RootKeyProviderConfig provider =
        config.rootOfTrust().providers().stream()
            .filter(p -> p.keyId().equals(keyId))
            .findFirst()
            .orElseThrow(
                () ->
                    new Failure(
                        "No provider with keyId '"
                            + keyId
                            + "' is configured; configured: "
                            + config.rootOfTrust().providers().stream()
                                .map(RootKeyProviderConfig::keyId)
                                .toList()));
    try (OperatorSession session = new OperatorSession(config, out)) {
      KeyRef created;
      try {
        created = provider.createKey();
      } catch (CofferException e) {
        session.record(
            KeyAuditEntry.failed(
                actor(), KeyOperation.ROOT_KEY_ROTATED, "root/" + keyId, e.code().name()));
        throw e;
      } catch (UnsupportedOperationException e) {
        throw new Failure(provider + " cannot be rotated by Coffer: " + e.getMessage());
      }
      session.record(
          KeyAuditEntry.succeeded(actor(), KeyOperation.ROOT_KEY_ROTATED, "root/" + created));
      out.println("Created " + created + " in " + provider + ".");
      try (KeyHierarchy keys = KeyHierarchy.open(config.rootOfTrust())) {
        KeysRewrapCommand.rewrapAll(keys, session, out);
      }
    }
  }
}
