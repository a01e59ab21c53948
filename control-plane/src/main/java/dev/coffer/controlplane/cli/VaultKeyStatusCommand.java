package dev.coffer.controlplane.cli;

import dev.coffer.controlplane.ControlPlaneConfiguration;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.VaultKeyStore;
import java.io.PrintStream;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code vault-key-status --vault NAME}: the vault's key versions, what each still seals, and how
 * far the rewrap after the latest rotation has come.
 */
final class VaultKeyStatusCommand extends KeyCommand {
  VaultKeyStatusCommand() {
    super("vault-key-status", "Shows a vault's key versions and the rewrap progress");
  }

  @Override
  public void configure(Subparser subparser) {
    super.configure(subparser);
    subparser.addArgument("--vault").dest("vault").required(true).help("the vault");
  }

  @Override
  void execute(Namespace namespace, ControlPlaneConfiguration config, PrintStream out) {
    VaultName vault = VaultName.of(namespace.getString("vault"));
    try (OperatorSession session = new OperatorSession(config, out)) {
      VaultKeyStore.KeyStatus status = session.keyStoreOf(vault).status(vault);
      out.println("Vault " + vault + " key versions:");
      for (VaultKeyStore.KeyVersionUse v : status.versions()) {
        out.println(
            "  v"
                + v.version()
                + (v.primary() ? "  PRIMARY " : "  retired ")
                + " seals "
                + v.sealedSecretVersions()
                + " secret version(s); "
                + v.encryptions()
                + " encryptions reported");
      }
      status
          .rewrap()
          .ifPresentOrElse(
              r ->
                  out.println(
                      "Rewrap to v"
                          + r.targetVersion()
                          + ": "
                          + r.rewrapped()
                          + " rewrapped, "
                          + r.remaining()
                          + " remaining, pass "
                          + r.passes()
                          + ", started "
                          + r.startedAt()
                          + r.finishedAt()
                              .map(f -> ", FINISHED " + f + " (retired versions can be destroyed)")
                              .orElse(
                                  ", last progress "
                                      + r.updatedAt()
                                      + " (a running control plane carries it on)")),
              () -> out.println("Never rotated."));
    }
  }
}
