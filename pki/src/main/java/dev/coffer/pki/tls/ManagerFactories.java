package dev.coffer.pki.tls;

import java.security.KeyStore;
import java.security.Provider;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;

/**
 * Factories that hand out one fixed, already working manager, for APIs that take a factory (Netty's
 * {@code SslContextBuilder}). {@code init} does nothing: the manager reloads itself.
 */
final class ManagerFactories {
  private static final Provider PROVIDER =
      new Provider("CofferReloading", "1.0", "Coffer's reloading key and trust managers") {
        private static final long serialVersionUID = 1L;
      };

  private ManagerFactories() {}

  static KeyManagerFactory keyManagerFactory(KeyManager manager) {
    return new KeyManagerFactory(
        new KeyManagerFactorySpi() {
          @Override
          protected void engineInit(KeyStore store, char[] password) {}

          @Override
          protected void engineInit(ManagerFactoryParameters parameters) {}

          @Override
          protected KeyManager[] engineGetKeyManagers() {
            return new KeyManager[] {manager};
          }
        },
        PROVIDER,
        "CofferReloading") {};
  }

  static TrustManagerFactory trustManagerFactory(TrustManager manager) {
    return new TrustManagerFactory(
        new TrustManagerFactorySpi() {
          @Override
          protected void engineInit(KeyStore store) {}

          @Override
          protected void engineInit(ManagerFactoryParameters parameters) {}

          @Override
          protected TrustManager[] engineGetTrustManagers() {
            return new TrustManager[] {manager};
          }
        },
        PROVIDER,
        "CofferReloading") {};
  }
}
