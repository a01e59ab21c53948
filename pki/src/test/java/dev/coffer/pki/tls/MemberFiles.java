package dev.coffer.pki.tls;

import dev.coffer.pki.CertificateAuthority;
import dev.coffer.pki.IssuedCredential;
import dev.coffer.pki.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A member's three TLS files in a directory, written as an operator's tools would. */
record MemberFiles(TlsFiles files) {
  static MemberFiles in(Path directory, String name) {
    return new MemberFiles(TlsFiles.inDirectory(directory, name));
  }

  MemberFiles write(IssuedCredential credential, CertificateAuthority... trusted)
      throws IOException {
    credential.write(files.certificateChain(), files.privateKey());
    TestPki.writeBundle(files.caBundle(), trusted);
    return this;
  }

  MemberFiles credential(IssuedCredential credential) throws IOException {
    credential.write(files.certificateChain(), files.privateKey());
    return this;
  }

  MemberFiles trust(CertificateAuthority... trusted) throws IOException {
    TestPki.writeBundle(files.caBundle(), trusted);
    return this;
  }

  /** Overwrites a file in place, as a careless copy would: not atomically. */
  static void overwrite(Path file, String content) throws IOException {
    Files.writeString(file, content, StandardCharsets.US_ASCII);
  }
}
