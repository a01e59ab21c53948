package dev.coffer.pki.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocketFactory;

/** Makes {@link ReloadingServerSocket}s: each accepted connection on the newest material. */
final class ReloadingServerSocketFactory extends SSLServerSocketFactory {
  private final Supplier<SSLContext> current;

  ReloadingServerSocketFactory(Supplier<SSLContext> current) {
    this.current = current;
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return current.get().getServerSocketFactory().getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return current.get().getServerSocketFactory().getSupportedCipherSuites();
  }

  @Override
  public ServerSocket createServerSocket() throws IOException {
    return new ReloadingServerSocket(current);
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    return new ReloadingServerSocket(current, port, 50, null);
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog) throws IOException {
    return new ReloadingServerSocket(current, port, backlog, null);
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog, InetAddress address)
      throws IOException {
    return new ReloadingServerSocket(current, port, backlog, address);
  }
}
