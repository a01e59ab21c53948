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

  /**
   * {@code <name>.crt}, {@code <name>.key} and {@code ca.crt} in one directory.
   *
   * @throws IllegalArgumentException for the name {@code ca}, whose certificate would be the bundle
   */
  public static TlsFiles inDirectory(Path directory, String name) {
    if ((name + ".crt").equals(CertificateAuthority.CERTIFICATE_FILE)) {
      throw new IllegalArgumentException("the name 'ca' is reserved for the CA bundle, ca.crt");
    }
    return new TlsFiles(
        directory.resolve(name + ".crt"),
        directory.resolve(name + ".key"),
        directory.resolve(CertificateAuthority.CERTIFICATE_FILE));
  }
}
