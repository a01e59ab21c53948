package dev.coffer.pki.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.pki.CertificateAuthority;
import dev.coffer.pki.IssuedCredential;
import dev.coffer.pki.Role;
import dev.coffer.pki.TestPki;
import dev.coffer.pki.tls.ReloadingTlsMaterial.Options;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Handshakes between two SSLEngines in memory, the way Netty and Jetty use the context: an engine
 * per connection from {@code sslContext().createSSLEngine()}.
 */
class SslEngineHandshakeTest {
  private static final CertificateAuthority CLUSTER = TestPki.ca("coffer");
  private static final CertificateAuthority OTHER = TestPki.ca("coffer");

  @TempDir Path directory;
  private MemberFiles hostFiles;
  private IssuedCredential hostCredential;
  private ReloadingTlsMaterial host;

  @BeforeEach
  void startHost() throws Exception {
    hostCredential = TestPki.issue(CLUSTER, Role.HOST, "host-1");
    hostFiles = MemberFiles.in(directory, "host-1").write(hostCredential, CLUSTER, OTHER);
    host =
        ReloadingTlsMaterial.start(
            hostFiles.files(), Options.DEFAULTS.withCheckInterval(Duration.ZERO));
  }

  @AfterEach
  void stopHost() {
    host.close();
  }

  @Test
  void aNewEngineAfterAReloadServesTheRenewedCertificate() throws Exception {
    SSLContext router = TlsClient.context(TestPki.issue(CLUSTER, Role.ROUTER, "r"), CLUSTER);
    SSLEngine before = client(router);
    handshake(before, server());
    assertThat(before.getSession().getPeerCertificates()[0])
        .isEqualTo(hostCredential.certificate());

    IssuedCredential renewed = CLUSTER.renew(hostCredential.certificate());
    hostFiles.credential(renewed);
    assertThat(host.reloadNow()).isTrue();

    SSLEngine after = client(router);
    handshake(after, server());
    assertThat(after.getSession().getPeerCertificates()[0]).isEqualTo(renewed.certificate());
  }

  @Test
  void aClientWhoseCaWasRemovedCannotResumeOnANewEngine() throws Exception {
    SSLContext router = TlsClient.context(TestPki.issue(OTHER, Role.ROUTER, "r"), CLUSTER);
    handshake(client(router), server());

    hostFiles.trust(CLUSTER);
    assertThat(host.reloadNow()).isTrue();

    assertThatThrownBy(() -> handshake(client(router), server()))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void aClientWithoutACertificateIsRefusedByAnEngine() {
    assertThatThrownBy(() -> handshake(client(TlsClient.context(null, CLUSTER)), server()))
        .isInstanceOf(SSLHandshakeException.class);
  }

  private SSLEngine server() {
    SSLEngine engine = host.sslContext().createSSLEngine();
    engine.setUseClientMode(false);
    engine.setNeedClientAuth(true);
    return engine;
  }

  private static SSLEngine client(SSLContext context) {
    SSLEngine engine = context.createSSLEngine("127.0.0.1", 8443);
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(parameters);
    return engine;
  }

  /** Runs the handshake, then one message each way (which carries the session ticket). */
  private static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
    ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
    ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
    client.beginHandshake();
    server.beginHandshake();
    for (int round = 0; round < 200; round++) {
      // Both sides step every round, whichever moved.
      boolean clientMoved = step(client, toClient, toServer);
      boolean serverMoved = step(server, toServer, toClient);
      if (!clientMoved && !serverMoved && done(client) && done(server)) {
        break;
      }
    }
    assertThat(done(client) && done(server)).as("handshake finished").isTrue();
    ByteBuffer hello = ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8));
    client.wrap(hello, toServer);
    ByteBuffer received = ByteBuffer.allocate(1 << 17);
    toServer.flip();
    server.unwrap(toServer, received);
    toServer.compact();
    server.wrap(ByteBuffer.wrap("ok".getBytes(StandardCharsets.UTF_8)), toClient);
    toClient.flip();
    while (toClient.hasRemaining()) {
      if (client.unwrap(toClient, ByteBuffer.allocate(1 << 17)).bytesConsumed() == 0) {
        break;
      }
    }
    toClient.compact();
  }

  private static boolean done(SSLEngine engine) {
    HandshakeStatus status = engine.getHandshakeStatus();
    return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
  }

  private static boolean step(SSLEngine engine, ByteBuffer in, ByteBuffer out) throws SSLException {
    boolean moved = false;
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run();
      moved = true;
    }
    HandshakeStatus status = engine.getHandshakeStatus();
    if (status == HandshakeStatus.NEED_WRAP) {
      moved |= engine.wrap(ByteBuffer.allocate(0), out).bytesProduced() > 0;
    } else if ((status == HandshakeStatus.NEED_UNWRAP
            || status == HandshakeStatus.NEED_UNWRAP_AGAIN)
        && in.position() > 0) {
      in.flip();
      moved |= engine.unwrap(in, ByteBuffer.allocate(1 << 17)).bytesConsumed() > 0;
      in.compact();
    }
    return moved;
  }
}
