package dev.coffer.pki.tls;

import dev.coffer.pki.KeyPairs;
import dev.coffer.pki.Pem;
import dev.coffer.pki.Pem.PemException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertPathParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/** Reads the three files and builds a {@link TlsMaterial} from them, or says why not. */
final class TlsMaterialLoader {
  private TlsMaterialLoader() {}

  /** Why the files on disk cannot be used; the message names a file, never its content. */
  static final class InvalidMaterialException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidMaterialException(String message) {
      super(message);
    }
  }

  /** The bytes of the three files as read at one moment, and their digest. */
  record Contents(byte[] certificateChain, byte[] privateKey, byte[] caBundle) {
    static Contents read(TlsFiles files) throws InvalidMaterialException {
      return new Contents(
          readFile(files.certificateChain(), "certificate chain"),
          readFile(files.privateKey(), "private key"),
          readFile(files.caBundle(), "CA bundle"));
    }

    byte[] digest() {
      try {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (byte[] file : List.of(certificateChain, privateKey, caBundle)) {
          sha256.update(ByteBuffer.allocate(8).putLong(file.length).flip());
          sha256.update(file);
        }
        return sha256.digest();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    private static byte[] readFile(Path file, String what) throws InvalidMaterialException {
      try {
        return Files.readAllBytes(file);
      } catch (NoSuchFileException e) {
        throw new InvalidMaterialException("the " + what + " file " + file + " does not exist");
      } catch (IOException e) {
        throw new InvalidMaterialException(
            "the "
                + what
                + " file "
                + file
                + " is unreadable ("
                + e.getClass().getSimpleName()
                + ")");
      }
    }
  }

  static TlsMaterial load(TlsFiles files, Contents contents, long generation, Instant now)
      throws InvalidMaterialException {
    List<X509Certificate> chain =
        certificates(contents.certificateChain(), "certificate chain", files.certificateChain());
    PrivateKey key;
    try {
      key = Pem.readPrivateKey(new String(contents.privateKey(), StandardCharsets.US_ASCII));
    } catch (PemException e) {
      throw new InvalidMaterialException(
          "the private key file " + files.privateKey() + ": " + e.getMessage());
    }
    if (!KeyPairs.matches(key, chain.get(0).getPublicKey())) {
      throw new InvalidMaterialException(
          "the private key in "
              + files.privateKey()
              + " does not belong to the certificate in "
              + files.certificateChain()
              + " (one was replaced before the other?)");
    }
    List<X509Certificate> cas = certificates(contents.caBundle(), "CA bundle", files.caBundle());
    for (X509Certificate ca : cas) {
      if (ca.getBasicConstraints() < 0) {
        throw new InvalidMaterialException(
            "the CA bundle " + files.caBundle() + " holds a certificate that is not a CA");
      }
    }
    String alias = ReloadingKeyManager.ALIAS_PREFIX + generation;
    return new TlsMaterial(
        generation,
        key,
        chain,
        cas,
        keyManager(alias, key, chain),
        trustManager(cas),
        contents.digest(),
        now);
  }

  private static List<X509Certificate> certificates(byte[] pem, String what, Path file)
      throws InvalidMaterialException {
    try {
      return Pem.readCertificates(new String(pem, StandardCharsets.US_ASCII));
    } catch (PemException e) {
      throw new InvalidMaterialException("the " + what + " file " + file + ": " + e.getMessage());
    }
  }

  /** The JDK's own key manager over a one-entry in-memory key store, under {@code alias}. */
  private static X509ExtendedKeyManager keyManager(
      String alias, PrivateKey key, List<X509Certificate> chain) throws InvalidMaterialException {
    try {
      char[] password = "in-memory".toCharArray();
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(alias, key, password, chain.toArray(X509Certificate[]::new));
      // SunX509 answers with the key store's alias unchanged, which names the generation.
      KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
      factory.init(store, password);
      for (KeyManager manager : factory.getKeyManagers()) {
        if (manager instanceof X509ExtendedKeyManager extended) {
          return extended;
        }
      }
      throw new InvalidMaterialException("this JVM offers no X509ExtendedKeyManager");
    } catch (GeneralSecurityException | IOException e) {
      throw new InvalidMaterialException(
          "the key and certificate cannot be used for TLS (" + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * The JDK's PKIX trust manager with exactly {@code cas} as anchors: a peer's chain must lead to
   * one of them and every certificate in it be within its validity period. Revocation checking is
   * off: the cluster publishes no CRLs; a CA is withdrawn by removing it from the bundle.
   */
  static X509ExtendedTrustManager trustManager(List<X509Certificate> cas)
      throws InvalidMaterialException {
    try {
      Set<TrustAnchor> anchors = new LinkedHashSet<>();
      for (X509Certificate ca : cas) {
        anchors.add(new TrustAnchor(ca, null));
      }
      PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, new X509CertSelector());
      parameters.setRevocationEnabled(false);
      CertPathParameters pkix = parameters;
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(new CertPathTrustManagerParameters(pkix));
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager extended) {
          return extended;
        }
      }
      throw new InvalidMaterialException("this JVM offers no X509ExtendedTrustManager");
    } catch (GeneralSecurityException e) {
      throw new InvalidMaterialException(
          "the CA bundle cannot be used for TLS (" + e.getClass().getSimpleName() + ")");
    }
  }
}
