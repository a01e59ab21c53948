package dev.coffer.service.tls;

import dev.coffer.pki.CertificateAuthority;
import dev.coffer.pki.IssuedCredential;
import dev.coffer.pki.tls.CredentialKeyManager;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * One keep-alive HTTP/1.1 connection over TLS to 127.0.0.1, the server's name checked: a test
 * decides when a new connection (and handshake) is made, and can keep one open across a reload.
 */
final class TlsTestClient implements AutoCloseable {
  record Response(int status, String body) {}

  private final SSLSocket socket;
  private final InputStream in;
  private final OutputStream out;

  private TlsTestClient(SSLSocket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static TlsTestClient connect(SSLContext context, int port) throws IOException {
    return connect(context, port, "TLSv1.3", "TLSv1.2");
  }

  /** Connects offering only {@code protocols}. */
  static TlsTestClient connect(SSLContext context, int port, String... protocols)
      throws IOException {
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    parameters.setProtocols(protocols);
    socket.setSSLParameters(parameters);
    socket.setSoTimeout(10_000);
    socket.startHandshake();
    return new TlsTestClient(socket);
  }

  /**
   * A GET on this connection. In TLS 1.3 the client's handshake ends before the server has checked
   * the client's certificate, so a refusal shows here, as an IOException.
   */
  Response get(String path, String token) throws IOException {
    String request =
        "GET "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
            + token
            + "\r\n\r\n";
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return read();
  }

  BigInteger serverSerial() throws IOException {
    return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
  }

  String protocol() {
    return socket.getSession().getProtocol();
  }

  private Response read() throws IOException {
    String statusLine = line();
    int status = Integer.parseInt(statusLine.split(" ", -1)[1]);
    int length = -1;
    boolean chunked = false;
    for (String header = line(); !header.isEmpty(); header = line()) {
      String lower = header.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(lower.substring("content-length:".length()).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      for (int size = Integer.parseInt(line().trim(), 16); size > 0; ) {
        body.write(in.readNBytes(size));
        line();
        size = Integer.parseInt(line().trim(), 16);
      }
      line();
    } else if (length > 0) {
      body.write(in.readNBytes(length));
    }
    return new Response(status, body.toString(StandardCharsets.UTF_8));
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException("the server closed the connection");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /**
   * A client context presenting {@code credential} (or nothing, if null) whatever CAs the server
   * names, so that the server's check decides, and trusting servers of {@code ca}.
   */
  static SSLContext context(IssuedCredential credential, CertificateAuthority ca) throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    trusted.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    KeyManager[] keys =
        credential == null
            ? new KeyManager[0]
            : new KeyManager[] {new CredentialKeyManager(credential)};
    context.init(keys, trust.getTrustManagers(), null);
    return context;
  }
}
