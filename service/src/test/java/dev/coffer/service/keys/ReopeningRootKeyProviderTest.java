package dev.coffer.service.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.crypto.NonceBudget;
import dev.coffer.core.crypto.RootKeyProvider;
import dev.coffer.core.crypto.RootWrapping;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.service.config.Configs;
import dev.coffer.service.config.RootKeyProviderConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reopening for a rotated root key, against a real keystore file: the replaced instance is closed
 * (its key bytes wiped) once no call uses it, and unwraps running meanwhile never fail.
 */
class ReopeningRootKeyProviderTest {
  private static final byte[] CONTEXT =
      "coffer/v2/vault-key/payments/1".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  private RootKeyProviderConfig config;
  private final NonceBudget budget = NonceBudget.withDefaults();

  /** Every instance the provider under test opened, in order. */
  private final List<Tracked> opened = new CopyOnWriteArrayList<>();

  private ReopeningRootKeyProvider provider;

  /** Makes every instance opened from now on take a moment per unwrap. */
  private volatile boolean slowUnwraps;

  @BeforeEach
  void keystore() throws Exception {
    config =
        Configs.rootOfTrust(
                """
                providers:
                  - {type: keystore, keyId: rotating, path: %s, passphrase: pass-zq7x}
                minimumProviders: 1
                """
                    .formatted(dir.resolve("root.p12")))
            .providers()
            .get(0);
    config.createKey();
    provider =
        new ReopeningRootKeyProvider(
            config,
            () -> {
              Tracked t = new Tracked(config.open(budget));
              if (slowUnwraps) {
                t.slowUnwraps();
              }
              opened.add(t);
              return t;
            },
            Duration.ZERO,
            System::nanoTime);
  }

  @AfterEach
  void close() {
    provider.close();
  }

  /** A wrapping by the newest version, made by a separate instance as root-rotate's would be. */
  private RootWrapping wrapByNewest(byte[] vaultKey) {
    try (RootKeyProvider operator = config.open(budget)) {
      return operator.wrap(vaultKey.clone(), CONTEXT);
    }
  }

  @Test
  void theReplacedInstanceIsClosedOnceAReopenHasLoadedTheNewVersion() {
    byte[] vaultKey = new byte[32];
    RootWrapping v1 = provider.wrap(vaultKey.clone(), CONTEXT);
    assertThat(opened).hasSize(1);
    config.createKey();
    RootWrapping v2 = wrapByNewest(vaultKey);

    assertThat(provider.unwrap(v2, CONTEXT)).isEqualTo(vaultKey);

    assertThat(opened).hasSize(2);
    Tracked old = opened.get(0);
    assertThat(old.closes.get()).as("closed exactly once").isEqualTo(1);
    assertThat(old.isAvailable()).as("a closed keystore provider has wiped its keys").isFalse();
    assertThatThrownBy(() -> old.unwrap(v1, CONTEXT))
        .isInstanceOfSatisfying(
            CofferException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.KEY_UNAVAILABLE));
    assertThat(opened.get(1).closes.get()).isZero();
    assertThat(provider.unwrap(v1, CONTEXT)).isEqualTo(vaultKey);
    assertThat(provider.keyVersion()).isEqualTo(2);
  }

  @Test
  void anInstanceInUseIsClosedOnlyWhenItsLastCallReturns() throws Exception {
    byte[] vaultKey = new byte[32];
    RootWrapping v1 = provider.wrap(vaultKey.clone(), CONTEXT);
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    opened.get(0).pauseUnwraps(inside, proceed);
    ExecutorService slow = Executors.newSingleThreadExecutor();
    try {
      Future<byte[]> held = slow.submit(() -> provider.unwrap(v1, CONTEXT));
      assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
      config.createKey();

      assertThat(provider.unwrap(wrapByNewest(vaultKey), CONTEXT)).isEqualTo(vaultKey);
      assertThat(opened.get(0).closes.get()).as("still in use").isZero();

      proceed.countDown();
      assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(vaultKey);
      assertThat(opened.get(0).closes.get()).isEqualTo(1);
    } finally {
      proceed.countDown();
      slow.shutdownNow();
    }
  }

  @Test
  void unwrapsDuringReopensNeverFail() throws Exception {
    int threads = 4;
    int rounds = 4;
    byte[] vaultKey = new byte[32];
    List<RootWrapping> wrappings = new CopyOnWriteArrayList<>();
    wrappings.add(provider.wrap(vaultKey.clone(), CONTEXT));
    opened.get(0).slowUnwraps();
    slowUnwraps = true;
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger unwraps = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < rounds; round++) {
        config.createKey();
        wrappings.add(wrapByNewest(vaultKey));
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          running.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < 30; i++) {
                      // Mostly older versions (on whichever instance is current), some newest.
                      RootWrapping w = wrappings.get(i % wrappings.size());
                      try {
                        if (java.util.Arrays.equals(provider.unwrap(w, CONTEXT), vaultKey)) {
                          unwraps.incrementAndGet();
                        } else {
                          failures.incrementAndGet();
                        }
                      } catch (RuntimeException e) {
                        failures.incrementAndGet();
                      }
                    }
                  }));
        }
        for (Future<?> f : running) {
          f.get(60, TimeUnit.SECONDS);
        }
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(failures.get()).isZero();
    assertThat(unwraps.get()).isEqualTo(rounds * threads * 30);
    assertThat(opened).hasSize(rounds + 1);
    assertThat(opened.subList(0, rounds))
        .as("every replaced instance is closed, once")
        .allSatisfy(t -> assertThat(t.closes.get()).isEqualTo(1));
    assertThat(opened.get(rounds).closes.get()).isZero();
  }

  @Test
  void afterCloseCallsFailAsUnavailableAndNothingIsReopened() {
    provider.keyVersion();

    provider.close();

    assertThat(opened.get(0).closes.get()).isEqualTo(1);
    assertThat(provider.isAvailable()).isFalse();
    assertThatThrownBy(() -> provider.wrap(new byte[32], CONTEXT))
        .isInstanceOfSatisfying(
            CofferException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.KEY_UNAVAILABLE));
    assertThat(opened).hasSize(1);
  }

  /** Delegates, counting closes; can hold or slow unwraps to widen the window of a reopen. */
  private static final class Tracked implements RootKeyProvider {
    private final RootKeyProvider delegate;
    final AtomicInteger closes = new AtomicInteger();
    private volatile CountDownLatch inside;
    private volatile CountDownLatch proceed;
    private volatile boolean slow;

    Tracked(RootKeyProvider delegate) {
      this.delegate = delegate;
    }

    void pauseUnwraps(CountDownLatch inside, CountDownLatch proceed) {
      this.inside = inside;
      this.proceed = proceed;
    }

    void slowUnwraps() {
      slow = true;
    }

    @Override
    public String keyId() {
      return delegate.keyId();
    }

    @Override
    public int keyVersion() {
      return delegate.keyVersion();
    }

    @Override
    public RootWrapping wrap(byte[] key, byte[] context) {
      return delegate.wrap(key, context);
    }

    @Override
    public byte[] unwrap(RootWrapping wrapping, byte[] context) {
      try {
        if (inside != null) {
          inside.countDown();
          proceed.await(10, TimeUnit.SECONDS);
        }
        if (slow) {
          Thread.sleep(1);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // A key wiped under a running call would fail here, as DECRYPTION_FAILED or unavailable.
      return delegate.unwrap(wrapping, context);
    }

    @Override
    public boolean isAvailable() {
      return delegate.isAvailable();
    }

    @Override
    public void close() {
      closes.incrementAndGet();
      delegate.close();
    }
  }
}
