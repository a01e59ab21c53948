package dev.coffer.controlplane.cli;

import dev.coffer.controlplane.ControlPlaneConfiguration;
import dev.coffer.core.audit.KeyAuditEntry;
import dev.coffer.core.audit.KeyOperation;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.model.VaultName;
import java.io.PrintStream;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code vault-key-destroy --vault NAME --version N}: removes a retired vault key version, once the
 * store proves nothing is sealed under it (the rewrap has finished).
 */
final class VaultKeyDestroyCommand extends KeyCommand {
  VaultKeyDestroyCommand() {
    super("vault-key-destroy", "Destroys a retired vault key version that seals nothing");
  }

  @Override
  public void configure(Subparser subparser) {
    super.configure(subparser);
    subparser.addArgument("--vault").dest("vault").required(true).help("the vault");
    subparser
        .addArgument("--version")
        .dest("version")
        .type(Integer.class)
        .required(true)
        .help("the retired key version to destroy");
  }

  @Override
  void execute(Namespace namespace, ControlPlaneConfiguration config, PrintStream out) {
    VaultName vault = VaultName.of(namespace.getString("vault"));
    int version = namespace.getInt("version");
    String subject = "vault/" + vault + "/key/v" + version;
    try (OperatorSession session = new OperatorSession(config, out)) {
      try {
        session.keyStoreOf(vault).destroy(vault, version);
      } catch (CofferException e) {
        session.record(
            KeyAuditEntry.failed(
                actor(), KeyOperation.VAULT_KEY_DESTROYED, subject, e.code().name()));
        throw e;
      }
      session.record(KeyAuditEntry.succeeded(actor(), KeyOperation.VAULT_KEY_DESTROYED, subject));
      out.println("Destroyed version " + version + " of vault " + vault + "'s key.");
    }
  }
}
