package dev.coffer.controlplane.cli;

import dev.coffer.controlplane.ControlPlaneConfiguration;
import dev.coffer.core.audit.KeyAuditEntry;
import dev.coffer.core.audit.KeyOperation;
import dev.coffer.core.crypto.KeyRef;
import dev.coffer.core.crypto.RecoveryKeys;
import dev.coffer.core.crypto.RecoveryPrivateKey;
import dev.coffer.core.crypto.RecoveryPublicKey;
import dev.coffer.core.crypto.RootOfTrust;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.crypto.sharing.InvalidShareException;
import dev.coffer.core.crypto.sharing.SecretShare;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.model.VaultName;
import dev.coffer.service.keys.KeyHierarchy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code recovery-restore --share FILE --share FILE ...}: when every root key provider is lost,
 * reassembles the recovery key from a threshold of custodians' shares, unwraps every vault key with
 * it and wraps them by the configured (new) providers. Run {@code keys-init} first so that the new
 * providers have keys.
 */
final class RecoveryRestoreCommand extends KeyCommand {
  RecoveryRestoreCommand() {
    super("recovery-restore", "Restores vault keys from recovery shares under new root keys");
  }

  @Override
  public void configure(Subparser subparser) {
    super.configure(subparser);
    subparser
        .addArgument("--share")
        .dest("shares")
        .action(Arguments.append())
        .required(true)
        .help("a custodian's share file; repeat for each share");
  }

  @Override
  void execute(Namespace namespace, ControlPlaneConfiguration config, PrintStream out) {
    List<SecretShare> shares = new ArrayList<>();
    for (String file : namespace.<String>getList("shares")) {
      shares.add(readShare(Path.of(file)));
    }
    RecoveryPrivateKey recoveryKey;
    try {
      recoveryKey = RecoveryKeys.restore(shares);
    } catch (InvalidShareException e) {
      throw new Failure("The shares do not restore the recovery key: " + e.getMessage());
    }
    KeyRef recoveryRef = recoveryKey.publicKey().keyRef();
    out.println(
        "Recovery key " + recoveryRef.id() + " restored from " + shares.size() + " shares.");
    try (KeyHierarchy keys = KeyHierarchy.open(config.rootOfTrust());
        OperatorSession session = new OperatorSession(config, out)) {
      Optional<RecoveryPublicKey> configured = keys.roots().recovery();
      if (configured.isPresent() && !configured.get().equals(recoveryKey.publicKey())) {
        throw new Failure(
            "The shares restore recovery key "
                + recoveryRef.id()
                + ", but rootOfTrust.recoveryPublicKey is "
                + configured.get().keyRef().id()
                + ".");
      }
      List<KeyRef> current = KeysRewrapCommand.currentKeys(keys);
      session.record(
          KeyAuditEntry.succeeded(
              actor(), KeyOperation.RECOVERY_KEY_USED, "recovery/" + recoveryRef.id()));
      RootOfTrust roots = keys.roots();
      out.println("Wrapping every vault key by " + current + " ...");
      VaultKeySweep.Result result =
          new VaultKeySweep(session, out, KeyOperation.VAULT_KEY_RECOVERED)
              .run(
                  (vault, key) ->
                      unwrapsAlready(roots, vault, key)
                          ? Optional.empty()
                          : Optional.of(roots.recover(vault, key, recoveryKey)));
      out.println(
          "Restored "
              + result.replaced()
              + ", already wrapped by the configured keys "
              + result.unchanged()
              + ", failed "
              + result.failed()
              + ".");
      if (result.failed() > 0) {
        throw new Failure(result.failed() + " vault key(s) were not restored; see above.");
      }
    }
  }

  /**
   * Whether the configured providers unwrap the key already (restored by an earlier run). The key
   * ids alone do not tell: a provider replaced after a loss has the same key id and version, but
   * another key.
   */
  private static boolean unwrapsAlready(RootOfTrust roots, VaultName vault, WrappedVaultKey key) {
    try {
      Arrays.fill(roots.unwrap(vault, key), (byte) 0);
      return true;
    } catch (CofferException e) {
      return false;
    }
  }

  private static SecretShare readShare(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new Failure("The share file " + file + " cannot be read.");
    }
    try {
      return SecretShare.decode(text);
    } catch (InvalidShareException e) {
      throw new Failure(file + ": " + e.getMessage());
    }
  }
}
