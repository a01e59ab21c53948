package dev.coffer.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key and its certificate chain, leaf first and the issuing CA last. {@link #toString()}
 * names the certificate only.
 */
public record IssuedCredential(PrivateKey privateKey, List<X509Certificate> chain) {
  public IssuedCredential {
    Objects.requireNonNull(privateKey, "privateKey");
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a credential needs its certificate");
    }
  }

  public X509Certificate certificate() {
    return chain.get(0);
  }

  /**
   * Writes the key (rw-------) and then the chain (rw-r--r--), each replaced atomically. A reader
   * between the two renames sees a new key with the old certificate; {@link
   * dev.coffer.pki.tls.ReloadingTlsMaterial} refuses such a mismatched pair and loads the files
   * once the certificate has followed.
   */
  public void write(Path certificateFile, Path keyFile) throws IOException {
    OwnerOnlyFiles.writePrivate(
        keyFile, Pem.privateKey(privateKey).getBytes(StandardCharsets.US_ASCII));
    OwnerOnlyFiles.writePublic(
        certificateFile, Pem.certificates(chain).getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public String toString() {
    return "IssuedCredential[" + certificate().getSubjectX500Principal().getName() + "]";
  }
}
