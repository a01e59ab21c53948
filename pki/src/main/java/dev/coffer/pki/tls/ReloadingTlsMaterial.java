package dev.coffer.pki.tls;

import dev.coffer.pki.tls.TlsMaterialLoader.Contents;
import dev.coffer.pki.tls.TlsMaterialLoader.InvalidMaterialException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's or client's TLS key material, read from files and read again whenever their content
 * changes, with no restart.
 *
 * <p>Everything handed out delegates to the newest material that loaded successfully: the {@link
 * #sslContext()}, the {@link #keyManager()} and {@link #trustManager()}, and the factories over
 * them for Netty. A new connection's handshake uses the newest material; connections already open
 * keep the session they negotiated.
 *
 * <p>The files are checked every {@link Options#checkInterval()} by content (a SHA-256 over all
 * three), so a rewrite in place, an atomic rename over a file, and an atomic swap of a symbolic
 * link to a directory (a Kubernetes secret mount's {@code ..data}) are all seen. Files that do not
 * load — half written, corrupt, a key that does not belong to the certificate — leave the previous
 * material in use; the failure is logged once per distinct content, without the content, and
 * counted in {@link #failedReloads()}.
 */
public final class ReloadingTlsMaterial implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingTlsMaterial.class);

  /**
   * How often to look at the files, and how early to warn about expiry. A zero check interval
   * checks only when {@link #reloadNow()} is called.
   */
  public record Options(Duration checkInterval, Duration warnBefore, Clock clock) {
    public static final Options DEFAULTS =
        new Options(Duration.ofSeconds(5), Duration.ofDays(14), Clock.systemUTC());

    public Options {
      Objects.requireNonNull(checkInterval, "checkInterval");
      Objects.requireNonNull(warnBefore, "warnBefore");
      Objects.requireNonNull(clock, "clock");
      if (checkInterval.isNegative()) {
        throw new IllegalArgumentException("the check interval must not be negative");
      }
    }

    public Options withCheckInterval(Duration interval) {
      return new Options(interval, warnBefore, clock);
    }

    public Options withWarnBefore(Duration warn) {
      return new Options(checkInterval, warn, clock);
    }

    public Options withClock(Clock newClock) {
      return new Options(checkInterval, warnBefore, newClock);
    }
  }

  /** Thrown by {@link #start} when the files do not hold usable material at all. */
  public static final class TlsMaterialException extends Exception {
    private static final long serialVersionUID = 1L;

    TlsMaterialException(String message) {
      super(message);
    }
  }

  private final TlsFiles files;
  private final Options options;
  private final MaterialHolder material;
  private final ReloadingKeyManager keyManager;
  private final ReloadingTrustManager trustManager;
  private final SSLContext sslContext;
  private volatile SSLContext generationContext;
  private final List<Consumer<TlsMaterial>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong reloads = new AtomicLong();
  private final AtomicLong failedReloads = new AtomicLong();
  private final Object reloadLock = new Object();
  private final ScheduledExecutorService checker;
  private byte[] lastSeenDigest;
  private volatile String lastFailure;

  private ReloadingTlsMaterial(TlsFiles files, Options options, TlsMaterial initial, byte[] seen)
      throws TlsMaterialException {
    this.files = files;
    this.options = options;
    this.material = new MaterialHolder(initial);
    this.keyManager = new ReloadingKeyManager(material);
    this.trustManager = new ReloadingTrustManager(material);
    this.lastSeenDigest = seen;
    this.generationContext = newGenerationContext();
    this.sslContext =
        new SSLContext(
            new ReloadingSslContextSpi(() -> generationContext),
            generationContext.getProvider(),
            generationContext.getProtocol()) {};
    if (options.checkInterval().isZero()) {
      this.checker = null;
    } else {
      this.checker =
          Executors.newSingleThreadScheduledExecutor(
              runnable -> {
                Thread thread = new Thread(runnable, "coffer-tls-reload");
                thread.setDaemon(true);
                return thread;
              });
      long millis = options.checkInterval().toMillis();
      // checkQuietly catches what a check throws; the task ends when close() shuts the checker.
      var unused =
          checker.scheduleWithFixedDelay(this::checkQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  /** Loads the files (they must be usable) and checks them every 5 seconds from then on. */
  public static ReloadingTlsMaterial start(TlsFiles files) throws TlsMaterialException {
    return start(files, Options.DEFAULTS);
  }

  public static ReloadingTlsMaterial start(TlsFiles files, Options options)
      throws TlsMaterialException {
    try {
      Contents contents = Contents.read(files);
      TlsMaterial initial = TlsMaterialLoader.load(files, contents, 1, options.clock().instant());
      ReloadingTlsMaterial reloading =
          new ReloadingTlsMaterial(files, options, initial, contents.digest());
      reloading.warnAboutUntrustedOwnChain(initial);
      LOG.info("TLS material loaded: {}", describe(initial));
      return reloading;
    } catch (InvalidMaterialException e) {
      throw new TlsMaterialException(e.getMessage());
    }
  }

  /** The newest material, for every new handshake. */
  public SSLContext sslContext() {
    return sslContext;
  }

  public X509ExtendedKeyManager keyManager() {
    return keyManager;
  }

  public X509ExtendedTrustManager trustManager() {
    return trustManager;
  }

  /**
   * For Netty's {@code SslContextBuilder.forServer(KeyManagerFactory)} / {@code forClient()
   * .keyManager(...)}. A Netty context built from these factories serves renewed certificates and
   * the new CA bundle at once, but keeps its own session cache: pass {@link #sslContext()} to
   * Netty's {@code JdkSslContext} instead, or rebuild on {@link #onChange}, for sessions not to
   * outlive the material they were made with.
   */
  public KeyManagerFactory keyManagerFactory() {
    return ManagerFactories.keyManagerFactory(keyManager);
  }

  public TrustManagerFactory trustManagerFactory() {
    return ManagerFactories.trustManagerFactory(trustManager);
  }

  /** The material in use now. */
  public TlsMaterial current() {
    return material.current();
  }

  /** Calls {@code listener} with each newly loaded material, on the reloading thread. */
  public void onChange(Consumer<TlsMaterial> listener) {
    listeners.add(Objects.requireNonNull(listener));
  }

  /**
   * Reads the files now and loads them if their content changed since the last look.
   *
   * @return whether new material is now in use
   */
  public boolean reloadNow() {
    synchronized (reloadLock) {
      return reload(true);
    }
  }

  private boolean reload(boolean mayLookAgain) {
    Contents contents;
    try {
      contents = Contents.read(files);
    } catch (InvalidMaterialException e) {
      byte[] missing = digestOf(e.getMessage());
      if (!MessageDigest.isEqual(missing, lastSeenDigest)) {
        lastSeenDigest = missing;
        fail(e.getMessage());
      }
      return false;
    }
    byte[] digest = contents.digest();
    if (MessageDigest.isEqual(digest, lastSeenDigest)) {
      return false;
    }
    lastSeenDigest = digest;
    TlsMaterial previous = material.current();
    if (previous.sameContentAs(digest)) {
      // Back to the files in use after a bad version: nothing to load.
      lastFailure = null;
      return false;
    }
    TlsMaterial next;
    SSLContext nextContext;
    try {
      next =
          TlsMaterialLoader.load(
              files, contents, previous.generation() + 1, options.clock().instant());
      nextContext = newGenerationContext();
    } catch (InvalidMaterialException | TlsMaterialException e) {
      if (mayLookAgain && changedSince(digest)) {
        // The files changed while they were read (one file from before an update, one from
        // after): what is there now decides, not the mix.
        return reload(false);
      }
      fail(e.getMessage());
      return false;
    }
    material.replace(next);
    generationContext = nextContext;
    reloads.incrementAndGet();
    lastFailure = null;
    warnAboutUntrustedOwnChain(next);
    LOG.info("TLS material reloaded: {}", describe(next));
    for (Consumer<TlsMaterial> listener : listeners) {
      try {
        listener.accept(next);
      } catch (RuntimeException e) {
        LOG.warn("A TLS reload listener failed ({})", e.getClass().getSimpleName());
      }
    }
    return true;
  }

  private boolean changedSince(byte[] digest) {
    try {
      return !MessageDigest.isEqual(Contents.read(files).digest(), digest);
    } catch (InvalidMaterialException e) {
      return false;
    }
  }

  /** Reloads that brought new material into use. */
  public long reloads() {
    return reloads.get();
  }

  /** Changed files that could not be used, each distinct content counted once. */
  public long failedReloads() {
    return failedReloads.get();
  }

  /** Why the newest files on disk are not in use, if they are not. */
  public Optional<String> lastFailure() {
    return Optional.ofNullable(lastFailure);
  }

  /** Time until the own certificate expires (negative once it has); for a gauge. */
  public Duration timeToExpiry() {
    return Duration.between(options.clock().instant(), material.current().certificateNotAfter());
  }

  /** Time until the first trusted CA certificate expires; for a gauge. */
  public Duration caTimeToExpiry() {
    return Duration.between(options.clock().instant(), material.current().earliestCaNotAfter());
  }

  /** OK, WARN within the warning period (14 days by default), or EXPIRED; for a health check. */
  public ExpiryStatus expiryStatus() {
    return ExpiryStatus.of(timeToExpiry(), caTimeToExpiry(), options.warnBefore());
  }

  public TlsFiles files() {
    return files;
  }

  @Override
  public void close() {
    if (checker != null) {
      checker.shutdownNow();
    }
  }

  private void checkQuietly() {
    try {
      reloadNow();
    } catch (RuntimeException e) {
      // The checker must survive anything a file system can do to it.
      fail("checking the TLS files failed (" + e.getClass().getSimpleName() + ")");
    }
  }

  private void fail(String reason) {
    failedReloads.incrementAndGet();
    lastFailure = reason;
    LOG.warn(
        "TLS material not reloaded, still using generation {}: {}", current().generation(), reason);
  }

  private SSLContext newGenerationContext() throws TlsMaterialException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {keyManager}, new TrustManager[] {trustManager}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new TlsMaterialException(
          "no TLS context could be made (" + e.getClass().getSimpleName() + ")");
    }
  }

  private void warnAboutUntrustedOwnChain(TlsMaterial loaded) {
    X509Certificate[] chain = loaded.chain().toArray(X509Certificate[]::new);
    try {
      loaded.trustManager().checkClientTrusted(chain, chain[0].getPublicKey().getAlgorithm());
    } catch (Exception e) {
      // Normal for a moment while a cluster moves to a new CA; anything longer is a mistake.
      LOG.warn(
          "The own certificate {} does not chain to the CA bundle {} (peers trusting only that"
              + " bundle will refuse it)",
          loaded.certificate().getSubjectX500Principal().getName(),
          files.caBundle());
    }
  }

  private static String describe(TlsMaterial loaded) {
    return "generation "
        + loaded.generation()
        + ", certificate "
        + loaded.certificate().getSubjectX500Principal().getName()
        + " serial "
        + loaded.certificate().getSerialNumber().toString(16)
        + " valid until "
        + loaded.certificateNotAfter()
        + ", "
        + loaded.trustedCas().size()
        + " trusted CA(s)";
  }

  private static byte[] digestOf(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
