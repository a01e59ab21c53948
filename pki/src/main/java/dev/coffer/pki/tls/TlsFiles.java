package dev.coffer.pki.tls;

import dev.coffer.pki.CertificateAuthority;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a server's or client's TLS material lives: its certificate chain (leaf first), its private
 * key, and the bundle of CA certificates whose certificates it trusts. The paths may run through
 * symbolic links, as a Kubernetes secret mount's do ({@code tls.crt -> ..data/tls.crt}); they are
 * read through the links every time.
 */
public record TlsFiles(Path certificateChain, Path privateKey, Path caBundle) {
  public TlsFiles {
    Objects.requireNonNull(certificateChain, "certificateChain");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(caBundle, "caBundle");
  }

  /** {@code <name>.crt}, {@code <name>.key} and {@code ca.crt} in one directory. */
  public static TlsFiles inDirectory(Path directory, String name) {
    return new TlsFiles(
        directory.resolve(name + ".crt"),
        directory.resolve(name + ".key"),
        directory.resolve(CertificateAuthority.CERTIFICATE_FILE));
  }
}
