package dev.coffer.controlplane.cli;

import dev.coffer.controlplane.ControlPlaneConfiguration;
import dev.coffer.core.audit.KeyAuditEntry;
import dev.coffer.core.audit.KeyOperation;
import dev.coffer.core.crypto.RecoveryKeys;
import dev.coffer.core.crypto.RecoveryPublicKey;
import dev.coffer.core.crypto.sharing.SecretShare;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code recovery-init --shares n --threshold k --out DIR}: generates the recovery key pair, writes
 * its public key as PEM and splits its private key into {@code n} share files, one per custodian,
 * any {@code k} of which restore it. The private key itself is never written.
 */
final class RecoveryInitCommand extends KeyCommand {
  static final String PUBLIC_KEY_FILE = "recovery-public-key.pem";

  RecoveryInitCommand() {
    super("recovery-init", "Generates the recovery key and splits it into custodians' shares");
  }

  @Override
  public void configure(Subparser subparser) {
    super.configure(subparser);
    subparser.addArgument("--shares").type(Integer.class).required(true).help("custodians, n");
    subparser
        .addArgument("--threshold")
        .type(Integer.class)
        .required(true)
        .help("shares needed to restore, k (2 to n)");
    subparser
        .addArgument("--out")
        .required(true)
        .help("a new or empty directory for the share files and the public key");
    subparser
        .addArgument("--bits")
        .type(Integer.class)
        .setDefault(RecoveryPublicKey.MIN_BITS)
        .help("RSA key size (at least 3072)");
  }

  @Override
  void execute(Namespace namespace, ControlPlaneConfiguration config, PrintStream out)
      throws IOException {
    int shares = namespace.getInt("shares");
    int threshold = namespace.getInt("threshold");
    int bits = namespace.getInt("bits");
    Path dir = Path.of(namespace.getString("out"));
    if (threshold < 2 || threshold > shares || shares > 255) {
      throw new Failure(
          "--threshold must be at least 2 and at most --shares, which is at most 255 (got "
              + threshold
              + " of "
              + shares
              + ").");
    }
    if (bits < RecoveryPublicKey.MIN_BITS) {
      throw new Failure("--bits must be at least " + RecoveryPublicKey.MIN_BITS + ".");
    }
    Optional<Path> configured = config.rootOfTrust().recoveryPublicKeyFile();
    if (configured.isPresent() && Files.exists(configured.get())) {
      throw new Failure(
          "A recovery key is already configured ("
              + configured.get()
              + "). To replace it, move that file away first; then run keys-rewrap.");
    }
    List<Path> targets = new ArrayList<>();
    for (int i = 1; i <= shares; i++) {
      targets.add(dir.resolve(shareFileName(i, shares)));
    }
    targets.add(dir.resolve(PUBLIC_KEY_FILE));
    for (Path target : targets) {
      if (Files.exists(target)) {
        throw new Failure(target + " exists; choose a new or empty --out directory.");
      }
    }
    RecoveryKeys.Generated generated = RecoveryKeys.generate(bits, shares, threshold);
    Files.createDirectories(
        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    for (SecretShare share : generated.shares()) {
      writeOwnerOnly(dir.resolve(shareFileName(share.index(), shares)), share.encode() + "\n");
    }
    String pem = generated.publicKey().pem();
    writeOwnerOnly(dir.resolve(PUBLIC_KEY_FILE), pem);
    if (configured.isPresent()) {
      Path file = configured.get().toAbsolutePath();
      Files.createDirectories(file.getParent());
      // Public, but key files are owner-only all the same: no file of Coffer's is readable by
      // others.
      if (Files.exists(file)) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(file, pem, StandardCharsets.UTF_8);
      } else {
        writeOwnerOnly(file, pem);
      }
    }
    try (OperatorSession session = new OperatorSession(config, out)) {
      session.record(
          KeyAuditEntry.succeeded(
              actor(),
              KeyOperation.RECOVERY_KEY_CREATED,
              "recovery/" + generated.publicKey().keyRef().id()));
    }
    out.println(
        "Recovery key "
            + generated.publicKey().keyRef().id()
            + " ("
            + bits
            + "-bit RSA) created; its private key was split into "
            + shares
            + " shares, any "
            + threshold
            + " of which restore it:");
    for (int i = 1; i <= shares; i++) {
      out.println("  " + dir.resolve(shareFileName(i, shares)) + "  (owner-only)");
    }
    out.println("Public key: " + dir.resolve(PUBLIC_KEY_FILE));
    out.println(
        "Give each share file to a different custodian and delete it here. "
            + (configured.isPresent()
                ? "The public key was also written to rootOfTrust.recoveryPublicKey ("
                    + configured.get()
                    + "); restart the servers, then run keys-rewrap to wrap existing vault keys"
                    + " to it."
                : "Set rootOfTrust.recoveryPublicKey to it, restart the servers, then run"
                    + " keys-rewrap to wrap existing vault keys to it."));
  }

  static String shareFileName(int index, int shares) {
    return "recovery-share-" + index + "-of-" + shares + ".txt";
  }

  private static void writeOwnerOnly(Path file, String text) throws IOException {
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
