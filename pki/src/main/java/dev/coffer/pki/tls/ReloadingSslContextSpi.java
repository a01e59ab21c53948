package dev.coffer.pki.tls;

import java.security.SecureRandom;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An SSLContext whose every engine and socket comes from the context of the newest material
 * generation, including those made by socket factories and server sockets obtained before a reload.
 * Each generation has its own JDK context and so its own session cache and session-ticket keys: a
 * session made under material that has since been replaced (a CA removed from the bundle, a renewed
 * certificate) cannot be resumed on a new connection, which must complete a full handshake against
 * the new material.
 */
final class ReloadingSslContextSpi extends SSLContextSpi {
  private final Supplier<SSLContext> current;
  private final SSLSocketFactory socketFactory;
  private final SSLServerSocketFactory serverSocketFactory;

  ReloadingSslContextSpi(Supplier<SSLContext> current) {
    this.current = current;
    this.socketFactory = new ReloadingSocketFactory(current);
    this.serverSocketFactory = new ReloadingServerSocketFactory(current);
  }

  @Override
  protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random) {
    throw new IllegalStateException("a reloading SSLContext is initialised from its files");
  }

  @Override
  protected SSLSocketFactory engineGetSocketFactory() {
    return socketFactory;
  }

  @Override
  protected SSLServerSocketFactory engineGetServerSocketFactory() {
    return serverSocketFactory;
  }

  @Override
  protected SSLEngine engineCreateSSLEngine() {
    return current.get().createSSLEngine();
  }

  @Override
  protected SSLEngine engineCreateSSLEngine(String host, int port) {
    return current.get().createSSLEngine(host, port);
  }

  @Override
  protected SSLSessionContext engineGetServerSessionContext() {
    return current.get().getServerSessionContext();
  }

  @Override
  protected SSLSessionContext engineGetClientSessionContext() {
    return current.get().getClientSessionContext();
  }

  @Override
  protected SSLParameters engineGetDefaultSSLParameters() {
    return current.get().getDefaultSSLParameters();
  }

  @Override
  protected SSLParameters engineGetSupportedSSLParameters() {
    return current.get().getSupportedSSLParameters();
  }
}
