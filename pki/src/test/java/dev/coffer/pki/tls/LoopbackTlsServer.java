package dev.coffer.pki.tls;

import dev.coffer.pki.ClusterIdentity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS server on 127.0.0.1 that requires a client certificate and answers each line with {@code ok
 * <the client's coffer:// identity>}. It accepts in one of the two ways servers use an SSLContext:
 * a server socket made from it once, or a TLS socket made from it per accepted connection (as Netty
 * and Jetty make an engine per connection).
 */
final class LoopbackTlsServer implements AutoCloseable {
  enum Kind {
    /** {@code context.getServerSocketFactory().createServerSocket(...)} once, at start. */
    SERVER_SOCKET,
    /** A plain server socket; each accepted socket is wrapped by the context's socket factory. */
    PER_CONNECTION
  }

  private final Kind kind;
  private final SSLContext context;
  private final ServerSocket listener;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "loopback-tls-server");
            thread.setDaemon(true);
            return thread;
          });
  private volatile boolean closed;
  private volatile X509Certificate lastClientCertificate;

  private LoopbackTlsServer(Kind kind, SSLContext context) throws IOException {
    this.kind = kind;
    this.context = context;
    InetAddress loopback = InetAddress.getLoopbackAddress();
    if (kind == Kind.SERVER_SOCKET) {
      SSLServerSocket server =
          (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, loopback);
      server.setNeedClientAuth(true);
      this.listener = server;
    } else {
      this.listener = new ServerSocket(0, 50, loopback);
    }
    var unused = threads.submit(this::acceptLoop);
  }

  static LoopbackTlsServer start(Kind kind, SSLContext context) throws IOException {
    return new LoopbackTlsServer(kind, context);
  }

  X509Certificate lastClientCertificate() {
    return lastClientCertificate;
  }

  int port() {
    return listener.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket accepted = listener.accept();
        var unused = threads.submit(() -> serve(accepted));
      } catch (IOException e) {
        if (!closed) {
          e.printStackTrace();
        }
      }
    }
  }

  private void serve(Socket accepted) {
    try (SSLSocket socket = tls(accepted)) {
      socket.setSoTimeout(30_000);
      socket.startHandshake();
      X509Certificate peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
      lastClientCertificate = peer;
      String identity = ClusterIdentity.of(peer).map(ClusterIdentity::uri).orElse("(none)");
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
      while (in.readLine() != null) {
        out.write("ok " + identity + "\n");
        out.flush();
      }
    } catch (IOException refusedOrClosed) {
      // A refused handshake ends here; the client sees the alert.
    }
  }

  private SSLSocket tls(Socket accepted) throws IOException {
    if (kind == Kind.SERVER_SOCKET) {
      return (SSLSocket) accepted;
    }
    SSLSocket socket =
        (SSLSocket)
            context.getSocketFactory().createSocket(accepted, null, accepted.getPort(), true);
    socket.setUseClientMode(false);
    socket.setNeedClientAuth(true);
    return socket;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
    threads.shutdownNow();
  }
}
