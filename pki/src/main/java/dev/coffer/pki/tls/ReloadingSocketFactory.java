package dev.coffer.pki.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * A socket factory that makes every socket with the newest generation's context, so a client that
 * keeps its factory (as HTTP clients do) still starts each connection on the newest material.
 */
final class ReloadingSocketFactory extends SSLSocketFactory {
  private final Supplier<SSLContext> current;

  ReloadingSocketFactory(Supplier<SSLContext> current) {
    this.current = current;
  }

  private SSLSocketFactory factory() {
    return current.get().getSocketFactory();
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return factory().getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return factory().getSupportedCipherSuites();
  }

  @Override
  public Socket createSocket() throws IOException {
    return factory().createSocket();
  }

  @Override
  public Socket createSocket(Socket socket, String host, int port, boolean autoClose)
      throws IOException {
    return factory().createSocket(socket, host, port, autoClose);
  }

  @Override
  public Socket createSocket(Socket socket, InputStream consumed, boolean autoClose)
      throws IOException {
    return factory().createSocket(socket, consumed, autoClose);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return factory().createSocket(host, port);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return factory().createSocket(host, port, localHost, localPort);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return factory().createSocket(host, port);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return factory().createSocket(address, port, localAddress, localPort);
  }
}
