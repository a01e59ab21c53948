package dev.coffer.pki.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks peers against the newest loaded CA bundle, with the JDK's PKIX trust manager (chain to an
 * anchor, validity dates, key usage for the side of the connection). Hostname checks happen when
 * the caller's SSL parameters ask for them (endpoint identification algorithm {@code HTTPS}).
 */
final class ReloadingTrustManager extends X509ExtendedTrustManager {
  private final MaterialHolder material;

  ReloadingTrustManager(MaterialHolder material) {
    this.material = material;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    material.current().trustManager().checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    material.current().trustManager().checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    material.current().trustManager().checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    material.current().trustManager().checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    material.current().trustManager().checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    material.current().trustManager().checkServerTrusted(chain, authType, engine);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return material.current().trustedCas().toArray(X509Certificate[]::new);
  }
}
