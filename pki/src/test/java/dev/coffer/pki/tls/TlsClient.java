package dev.coffer.pki.tls;

import dev.coffer.pki.CertificateAuthority;
import dev.coffer.pki.IssuedCredential;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/** A test's TLS client: one line out, one line back, the server's name checked. */
final class TlsClient implements AutoCloseable {
  private final SSLSocket socket;
  private final BufferedReader in;
  private final Writer out;

  private TlsClient(SSLSocket socket) throws IOException {
    this.socket = socket;
    this.in =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    this.out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
  }

  /** Connects to 127.0.0.1, which the server's certificate must name. */
  static TlsClient connect(SSLContext context, int port) throws IOException {
    return connect(context.getSocketFactory(), port);
  }

  static TlsClient connect(SSLSocketFactory factory, int port) throws IOException {
    SSLSocket socket = (SSLSocket) factory.createSocket("127.0.0.1", port);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    socket.setSSLParameters(parameters);
    socket.setSoTimeout(10_000);
    socket.startHandshake();
    return new TlsClient(socket);
  }

  /**
   * Sends a line and returns the answer. In TLS 1.3 the client's handshake completes before the
   * server has checked the client's certificate, so a refusal shows here as an exception.
   */
  String exchange(String line) throws IOException {
    out.write(line + "\n");
    out.flush();
    String answer = in.readLine();
    if (answer == null) {
      throw new EOFException("the server closed the connection");
    }
    return answer;
  }

  X509Certificate serverCertificate() throws IOException {
    return (X509Certificate) socket.getSession().getPeerCertificates()[0];
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /**
   * A client context presenting {@code credential} (or nothing, if null) whatever CAs the server
   * asks for, so that it is the server's trust manager that decides, and trusting {@code cas}.
   */
  static SSLContext context(IssuedCredential credential, CertificateAuthority... cas)
      throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    KeyManager[] keys =
        credential == null
            ? new KeyManager[0]
            : new KeyManager[] {new CredentialKeyManager(credential)};
    TrustManager trust =
        TlsMaterialLoader.trustManager(
            Arrays.stream(cas).map(CertificateAuthority::certificate).toList());
    context.init(keys, new TrustManager[] {trust}, null);
    return context;
  }
}
