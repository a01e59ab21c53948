package dev.coffer.pki.tls;

import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One successfully loaded generation of key material: a key with its chain, and the CA certificates
 * trusted with it, with the JDK's key and trust managers built over them. Immutable; a reload makes
 * a new one with the next generation number.
 */
public final class TlsMaterial {
  private final long generation;
  private final PrivateKey privateKey;
  private final List<X509Certificate> chain;
  private final List<X509Certificate> trustedCas;
  private final X509ExtendedKeyManager keyManager;
  private final X509ExtendedTrustManager trustManager;
  private final byte[] digest;
  private final Instant loadedAt;

  TlsMaterial(
      long generation,
      PrivateKey privateKey,
      List<X509Certificate> chain,
      List<X509Certificate> trustedCas,
      X509ExtendedKeyManager keyManager,
      X509ExtendedTrustManager trustManager,
      byte[] digest,
      Instant loadedAt) {
    this.generation = generation;
    this.privateKey = privateKey;
    this.chain = List.copyOf(chain);
    this.trustedCas = List.copyOf(trustedCas);
    this.keyManager = keyManager;
    this.trustManager = trustManager;
    this.digest = digest.clone();
    this.loadedAt = loadedAt;
  }

  /** 1 for the material loaded at start, one more for each reload that changed something. */
  public long generation() {
    return generation;
  }

  /** The alias under which the key managers offer this generation's key. */
  String alias() {
    return ReloadingKeyManager.ALIAS_PREFIX + generation;
  }

  public X509Certificate certificate() {
    return chain.get(0);
  }

  public List<X509Certificate> chain() {
    return chain;
  }

  public List<X509Certificate> trustedCas() {
    return trustedCas;
  }

  public Instant loadedAt() {
    return loadedAt;
  }

  /** When the own certificate expires. */
  public Instant certificateNotAfter() {
    return certificate().getNotAfter().toInstant();
  }

  /** When the first of the trusted CA certificates expires. */
  public Instant earliestCaNotAfter() {
    return trustedCas.stream()
        .map(ca -> ca.getNotAfter().toInstant())
        .min(Comparator.naturalOrder())
        .orElseThrow();
  }

  PrivateKey privateKey() {
    return privateKey;
  }

  X509ExtendedKeyManager keyManager() {
    return keyManager;
  }

  X509ExtendedTrustManager trustManager() {
    return trustManager;
  }

  boolean sameContentAs(byte[] otherDigest) {
    return MessageDigest.isEqual(digest, otherDigest);
  }

  @Override
  public String toString() {
    return "TlsMaterial[generation "
        + generation
        + ", "
        + certificate().getSubjectX500Principal().getName()
        + ", "
        + trustedCas.size()
        + " trusted CA(s)]";
  }
}
