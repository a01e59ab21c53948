package dev.coffer.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM text of certificates and private keys. Private keys are written as unencrypted PKCS#8 ({@code
 * PRIVATE KEY}); both PKCS#8 and OpenSSL's {@code EC PRIVATE KEY} are read.
 *
 * <p>Errors say what was wrong with the text and never quote it: a key file's content must not
 * reach a log through an exception message.
 */
public final class Pem {
  private static final JcaX509CertificateConverter CERTIFICATES = new JcaX509CertificateConverter();
  private static final JcaPEMKeyConverter KEYS = new JcaPEMKeyConverter();

  private Pem() {}

  /** Thrown for PEM text that does not hold what was asked for; the message quotes none of it. */
  public static final class PemException extends Exception {
    private static final long serialVersionUID = 1L;

    PemException(String message) {
      super(message);
    }
  }

  public static String certificates(List<X509Certificate> certificates) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (X509Certificate certificate : certificates) {
        writer.writeObject(certificate);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  public static String certificate(X509Certificate certificate) {
    return certificates(List.of(certificate));
  }

  public static String privateKey(PrivateKey key) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      // Only the type: a message from the encoder could carry part of the key.
      throw new IllegalStateException("could not encode a " + key.getAlgorithm() + " private key");
    }
    return out.toString();
  }

  /** Every certificate in {@code pem}, in order; at least one, and nothing that is not one. */
  public static List<X509Certificate> readCertificates(String pem) throws PemException {
    List<X509Certificate> certificates = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object next;
      while ((next = parser.readObject()) != null) {
        if (!(next instanceof X509CertificateHolder holder)) {
          throw new PemException("expected only certificates, found a " + kind(next));
        }
        certificates.add(CERTIFICATES.getCertificate(holder));
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      throw new PemException(
          "not readable as PEM certificates (" + e.getClass().getSimpleName() + ")");
    }
    if (certificates.isEmpty()) {
      throw new PemException("no certificate found");
    }
    return List.copyOf(certificates);
  }

  /** The one private key in {@code pem}. */
  public static PrivateKey readPrivateKey(String pem) throws PemException {
    Object found;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      found = parser.readObject();
      if (found != null && parser.readObject() != null) {
        throw new PemException("expected one private key, found more than one PEM object");
      }
      if (found instanceof PrivateKeyInfo info) {
        return KEYS.getPrivateKey(info);
      }
      if (found instanceof PEMKeyPair pair) {
        return KEYS.getKeyPair(pair).getPrivate();
      }
    } catch (PemException e) {
      throw e;
    } catch (PEMException e) {
      throw new PemException("the private key is malformed");
    } catch (IOException | RuntimeException e) {
      throw new PemException(
          "not readable as a PEM private key (" + e.getClass().getSimpleName() + ")");
    }
    throw new PemException(
        found == null ? "no private key found" : "expected a private key, found a " + kind(found));
  }

  /** Whether {@code text} looks like it holds a private key (so it is never printed). */
  public static boolean mentionsPrivateKey(String text) {
    return text.contains("PRIVATE KEY-----");
  }

  private static String kind(Object pemObject) {
    if (pemObject instanceof X509CertificateHolder) {
      return "certificate";
    }
    if (pemObject instanceof PrivateKeyInfo || pemObject instanceof PEMKeyPair) {
      return "private key";
    }
    return pemObject.getClass().getSimpleName();
  }
}
