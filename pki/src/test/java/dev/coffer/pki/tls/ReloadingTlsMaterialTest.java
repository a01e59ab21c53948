package dev.coffer.pki.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.coffer.pki.CertificateAuthority;
import dev.coffer.pki.IssuedCredential;
import dev.coffer.pki.Pem;
import dev.coffer.pki.Role;
import dev.coffer.pki.TestPki;
import dev.coffer.pki.tls.ExpiryStatus.State;
import dev.coffer.pki.tls.ReloadingTlsMaterial.Options;
import dev.coffer.pki.tls.ReloadingTlsMaterial.TlsMaterialException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ReloadingTlsMaterialTest {
  private static final CertificateAuthority CLUSTER = TestPki.ca("coffer");
  private static final CertificateAuthority OTHER = TestPki.ca("coffer");
  private static final Options MANUAL = Options.DEFAULTS.withCheckInterval(Duration.ZERO);

  @TempDir Path directory;
  private MemberFiles member;
  private IssuedCredential first;
  private final List<ReloadingTlsMaterial> started = new ArrayList<>();
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private Logger pkiLogger;

  @BeforeEach
  void filesOfAHost() throws Exception {
    member = MemberFiles.in(directory, "host-1");
    first = TestPki.issue(CLUSTER, Role.HOST, "host-1");
    member.write(first, CLUSTER);
    pkiLogger = (Logger) LoggerFactory.getLogger("dev.coffer.pki");
    pkiLogger.setLevel(Level.TRACE);
    log.start();
    pkiLogger.addAppender(log);
  }

  @AfterEach
  void stop() {
    started.forEach(ReloadingTlsMaterial::close);
    pkiLogger.detachAppender(log);
  }

  private ReloadingTlsMaterial start(Options options) throws TlsMaterialException {
    ReloadingTlsMaterial material = ReloadingTlsMaterial.start(member.files(), options);
    started.add(material);
    return material;
  }

  @Test
  void theFilesAreLoadedAtStart() throws Exception {
    ReloadingTlsMaterial material = start(MANUAL);

    assertThat(material.current().generation()).isEqualTo(1);
    assertThat(material.current().certificate()).isEqualTo(first.certificate());
    assertThat(material.current().trustedCas()).containsExactly(CLUSTER.certificate());
    assertThat(material.keyManager().getCertificateChain("coffer-1"))
        .containsExactly(first.certificate(), CLUSTER.certificate());
    assertThat(material.keyManagerFactory().getKeyManagers())
        .containsExactly(material.keyManager());
    assertThat(material.trustManagerFactory().getTrustManagers())
        .containsExactly(material.trustManager());
  }

  @Test
  void unusableFilesAtStartAreRefusedWithAReasonThatQuotesNoKey() throws Exception {
    Files.delete(member.files().caBundle());
    assertThatThrownBy(() -> start(MANUAL))
        .isInstanceOf(TlsMaterialException.class)
        .hasMessageContaining("CA bundle file")
        .hasMessageContaining("does not exist");

    member.trust(CLUSTER);
    String key = TestPki.read(member.files().privateKey());
    MemberFiles.overwrite(member.files().privateKey(), key.substring(0, key.length() / 2));
    assertThatThrownBy(() -> start(MANUAL))
        .isInstanceOf(TlsMaterialException.class)
        .hasMessageContaining("private key file")
        .satisfies(e -> assertNoKeyMaterialIn(e.getMessage(), key));
  }

  @Test
  void aCorruptCertificateKeepsThePreviousMaterialAndIsReportedOnce() throws Exception {
    ReloadingTlsMaterial material = start(MANUAL);

    MemberFiles.overwrite(member.files().certificateChain(), "-----BEGIN CERTIFICATE-----\nAAAA");
    assertThat(material.reloadNow()).isFalse();
    assertThat(material.reloadNow()).isFalse();

    assertThat(material.current().certificate()).isEqualTo(first.certificate());
    assertThat(material.failedReloads()).isEqualTo(1);
    assertThat(material.lastFailure()).get().asString().contains("certificate chain file");

    IssuedCredential renewed = CLUSTER.renew(first.certificate());
    member.credential(renewed);
    assertThat(material.reloadNow()).isTrue();
    assertThat(material.current().certificate()).isEqualTo(renewed.certificate());
    assertThat(material.current().generation()).isEqualTo(2);
    assertThat(material.lastFailure()).isEmpty();
    assertThat(material.reloads()).isEqualTo(1);
  }

  @Test
  void aHalfWrittenKeyKeepsThePreviousMaterial() throws Exception {
    ReloadingTlsMaterial material = start(MANUAL);
    IssuedCredential renewed = CLUSTER.renew(first.certificate());
    String key = Pem.privateKey(renewed.privateKey());

    MemberFiles.overwrite(member.files().privateKey(), key.substring(0, 100));

    assertThat(material.reloadNow()).isFalse();
    assertThat(material.current().certificate()).isEqualTo(first.certificate());
    assertThat(material.failedReloads()).isEqualTo(1);
  }

  @Test
  void aNewKeyWaitsForItsCertificate() throws Exception {
    ReloadingTlsMaterial material = start(MANUAL);
    IssuedCredential renewed = CLUSTER.renew(first.certificate());

    MemberFiles.overwrite(member.files().privateKey(), Pem.privateKey(renewed.privateKey()));
    assertThat(material.reloadNow()).isFalse();
    assertThat(material.lastFailure())
        .get()
        .asString()
        .contains("does not belong to the certificate");
    assertThat(material.current().certificate()).isEqualTo(first.certificate());

    member.credential(renewed);
    assertThat(material.reloadNow()).isTrue();
    assertThat(material.current().certificate()).isEqualTo(renewed.certificate());
  }

  @Test
  void aBundleWithALeafCertificateIsRefused() throws Exception {
    ReloadingTlsMaterial material = start(MANUAL);

    TestPki.writeBundle(member.files().caBundle(), List.of(first.certificate()));

    assertThat(material.reloadNow()).isFalse();
    assertThat(material.lastFailure()).get().asString().contains("not a CA");
  }

  @Test
  void filesRewrittenWithTheSameContentAreNotReloaded() throws Exception {
    ReloadingTlsMaterial material = start(MANUAL);

    member.write(first, CLUSTER);

    assertThat(material.reloadNow()).isFalse();
    assertThat(material.reloads()).isZero();
    assertThat(material.failedReloads()).isZero();
  }

  @Test
  void goingBackToTheFilesInUseAfterABadVersionIsNoReload() throws Exception {
    ReloadingTlsMaterial material = start(MANUAL);
    String good = TestPki.read(member.files().certificateChain());

    MemberFiles.overwrite(member.files().certificateChain(), "garbage");
    material.reloadNow();
    MemberFiles.overwrite(member.files().certificateChain(), good);

    assertThat(material.reloadNow()).isFalse();
    assertThat(material.current().generation()).isEqualTo(1);
    assertThat(material.lastFailure()).isEmpty();
    assertThat(material.failedReloads()).isEqualTo(1);
  }

  @Test
  void aHandshakeThatChoseItsAliasBeforeAReloadFinishesWithThatKey() throws Exception {
    ReloadingTlsMaterial material = start(MANUAL);
    String chosen = material.keyManager().chooseServerAlias("EC", null, null);
    assertThat(chosen).isEqualTo("coffer-1");

    IssuedCredential renewed = CLUSTER.renew(first.certificate());
    member.credential(renewed);
    material.reloadNow();

    assertThat(material.keyManager().getPrivateKey(chosen)).isEqualTo(first.privateKey());
    assertThat(material.keyManager().getCertificateChain(chosen)[0]).isEqualTo(first.certificate());
    assertThat(material.keyManager().chooseServerAlias("EC", null, null)).isEqualTo("coffer-2");
    assertThat(material.keyManager().getPrivateKey("coffer-2")).isEqualTo(renewed.privateKey());

    member.credential(CLUSTER.renew(renewed.certificate()));
    material.reloadNow();
    assertThat(material.keyManager().getPrivateKey(chosen)).as("two generations back").isNull();
  }

  @Test
  void listenersHearOfEachNewGeneration() throws Exception {
    ReloadingTlsMaterial material = start(MANUAL);
    List<Long> generations = new ArrayList<>();
    material.onChange(loaded -> generations.add(loaded.generation()));
    material.onChange(
        loaded -> {
          throw new IllegalStateException("a broken listener");
        });

    member.credential(CLUSTER.renew(first.certificate()));
    material.reloadNow();

    assertThat(generations).containsExactly(2L);
    assertThat(material.current().generation()).isEqualTo(2);
  }

  @Test
  void theTrustManagerTrustsExactlyTheCurrentBundle() throws Exception {
    ReloadingTlsMaterial material = start(MANUAL);
    X509Certificate[] fromCluster = chain(TestPki.issue(CLUSTER, Role.ROUTER, "r"));
    X509Certificate[] fromOther = chain(TestPki.issue(OTHER, Role.ROUTER, "r"));
    X509Certificate[] expired = chain(TestPki.expired(CLUSTER, Role.ROUTER, "r"));

    material.trustManager().checkClientTrusted(fromCluster, "EC");
    assertThatThrownBy(() -> material.trustManager().checkClientTrusted(fromOther, "EC"))
        .isInstanceOf(CertificateException.class);
    assertThatThrownBy(() -> material.trustManager().checkClientTrusted(expired, "EC"))
        .isInstanceOf(CertificateException.class);

    member.trust(CLUSTER, OTHER);
    material.reloadNow();
    material.trustManager().checkClientTrusted(fromOther, "EC");
    assertThat(material.trustManager().getAcceptedIssuers())
        .containsExactly(CLUSTER.certificate(), OTHER.certificate());

    member.trust(CLUSTER);
    material.reloadNow();
    assertThatThrownBy(() -> material.trustManager().checkClientTrusted(fromOther, "EC"))
        .isInstanceOf(CertificateException.class);
  }

  @Test
  void expiryIsOkThenAWarningFourteenDaysAheadThenExpired() throws Exception {
    Instant notAfter = first.certificate().getNotAfter().toInstant();

    ExpiryStatus now = start(MANUAL).expiryStatus();
    ExpiryStatus fifteenDaysLeft =
        start(MANUAL.withClock(at(notAfter.minus(Duration.ofDays(15))))).expiryStatus();
    ExpiryStatus thirteenDaysLeft =
        start(MANUAL.withClock(at(notAfter.minus(Duration.ofDays(13))))).expiryStatus();
    ExpiryStatus past = start(MANUAL.withClock(at(notAfter.plusSeconds(1)))).expiryStatus();

    assertThat(now.state()).isEqualTo(State.OK);
    assertThat(now.healthy()).isTrue();
    assertThat(fifteenDaysLeft.state()).isEqualTo(State.OK);
    assertThat(thirteenDaysLeft.state()).isEqualTo(State.WARN);
    assertThat(thirteenDaysLeft.message())
        .isEqualTo("the certificate expires in 13 days; renew it (cert renew)");
    assertThat(thirteenDaysLeft.certificateRemaining()).isEqualTo(Duration.ofDays(13));
    assertThat(past.state()).isEqualTo(State.EXPIRED);
    assertThat(past.healthy()).isFalse();
  }

  @Test
  void theCaCountsForExpiryToo() throws Exception {
    ReloadingTlsMaterial material =
        start(
            MANUAL.withClock(
                at(CLUSTER.certificate().getNotAfter().toInstant().minus(Duration.ofDays(3)))));

    assertThat(material.caTimeToExpiry()).isEqualTo(Duration.ofDays(3));
    assertThat(material.timeToExpiry()).isNegative();
    assertThat(material.expiryStatus().state()).isEqualTo(State.EXPIRED);
  }

  @Test
  void theFilesAreCheckedInTheBackground() throws Exception {
    ReloadingTlsMaterial material = start(MANUAL.withCheckInterval(Duration.ofMillis(50)));
    IssuedCredential renewed = CLUSTER.renew(first.certificate());

    member.credential(renewed);

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (material.current().generation() == 1 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(material.current().certificate()).isEqualTo(renewed.certificate());
  }

  @Test
  void nothingLoggedContainsKeyMaterial() throws Exception {
    String firstKey = Pem.privateKey(first.privateKey());
    ReloadingTlsMaterial material = start(MANUAL);
    IssuedCredential renewed = CLUSTER.renew(first.certificate());
    String renewedKey = Pem.privateKey(renewed.privateKey());

    MemberFiles.overwrite(member.files().privateKey(), renewedKey.substring(0, 120));
    material.reloadNow();
    MemberFiles.overwrite(member.files().privateKey(), renewedKey);
    material.reloadNow();
    MemberFiles.overwrite(member.files().privateKey(), renewedKey.replace('A', 'B'));
    material.reloadNow();
    member.credential(renewed);
    material.reloadNow();
    MemberFiles.overwrite(member.files().certificateChain(), renewedKey);
    material.reloadNow();

    List<String> lines = new ArrayList<>();
    for (ILoggingEvent event : log.list) {
      lines.add(event.getFormattedMessage());
      if (event.getThrowableProxy() != null) {
        lines.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
      }
    }
    assertThat(lines).anySatisfy(line -> assertThat(line).contains("not reloaded"));
    assertThat(lines).anySatisfy(line -> assertThat(line).contains("reloaded: generation 2"));
    for (String line : lines) {
      assertNoKeyMaterialIn(line, firstKey);
      assertNoKeyMaterialIn(line, renewedKey);
    }
  }

  private static void assertNoKeyMaterialIn(String text, String pemKey) {
    assertThat(text).doesNotContain("PRIVATE KEY");
    String body =
        pemKey.lines().filter(line -> !line.startsWith("-----")).reduce("", String::concat);
    for (int i = 0; i + 12 <= body.length(); i += 6) {
      assertThat(text).doesNotContain(body.substring(i, i + 12));
    }
  }

  private static X509Certificate[] chain(IssuedCredential credential) {
    return credential.chain().toArray(X509Certificate[]::new);
  }

  private static Clock at(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }
}
