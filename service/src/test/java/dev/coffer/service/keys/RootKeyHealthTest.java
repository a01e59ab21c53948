package dev.coffer.service.keys;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.codahale.metrics.health.HealthCheck;
import dev.coffer.core.crypto.RootKeyProvider;
import dev.coffer.core.crypto.RootWrapping;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** One of two providers down is degraded but healthy; both down is unhealthy. */
class RootKeyHealthTest {
  private final SwitchedProvider keystore = new SwitchedProvider("keystore-root");
  private final SwitchedProvider hsm = new SwitchedProvider("hsm-root");
  private final RootKeyHealth health = new RootKeyHealth(List.of(keystore, hsm));
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(RootKeyHealth.class);

  @BeforeEach
  void captureLog() {
    log.start();
    logger.addAppender(log);
  }

  @AfterEach
  void release() {
    logger.detachAppender(log);
  }

  @Test
  void everyProviderAvailableIsHealthyAndNotDegraded() {
    HealthCheck.Result result = health.execute();

    assertThat(result.isHealthy()).isTrue();
    assertThat(result.getMessage()).isEqualTo("all 2 root key providers are available");
    assertThat(result.getDetails())
        .containsEntry("degraded", false)
        .containsEntry("providers", Map.of("keystore-root", true, "hsm-root", true));
  }

  @Test
  void oneProviderDownIsDegradedButHealthyAndNamesIt() {
    keystore.down();

    HealthCheck.Result result = health.execute();

    assertThat(result.isHealthy()).as("reads still unwrap through the other provider").isTrue();
    assertThat(result.getMessage())
        .startsWith("degraded: 1 of 2 root key providers unavailable")
        .contains("keystore-root")
        .doesNotContain("hsm-root");
    assertThat(result.getDetails())
        .containsEntry("degraded", true)
        .containsEntry("providers", Map.of("keystore-root", false, "hsm-root", true));
  }

  @Test
  void everyProviderDownIsUnhealthy() {
    keystore.down();
    hsm.down();

    HealthCheck.Result result = health.execute();

    assertThat(result.isHealthy()).isFalse();
    assertThat(result.getMessage())
        .startsWith("no root key provider is available")
        .contains("keystore-root")
        .contains("hsm-root");
  }

  @Test
  void eachTransitionIsLoggedOnceByWhoeverNoticesIt() {
    health.observeAll();
    assertThat(log.list).as("the first look is no transition").isEmpty();

    keystore.down();
    health.observe(keystore);
    health.execute();
    health.observeAll();
    hsm.down();
    health.observeAll();
    keystore.up();
    health.execute();

    assertThat(log.list)
        .extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
        .satisfiesExactly(
            down -> {
              assertThat(down.toList().get(0)).isEqualTo(Level.WARN);
              assertThat((String) down.toList().get(1))
                  .contains("keystore-root")
                  .contains("became unavailable")
                  .contains("through the 1 other available provider");
            },
            lastDown -> {
              assertThat(lastDown.toList().get(0)).isEqualTo(Level.ERROR);
              assertThat((String) lastDown.toList().get(1))
                  .contains("hsm-root")
                  .contains("no other is available");
            },
            back -> {
              assertThat(back.toList().get(0)).isEqualTo(Level.INFO);
              assertThat((String) back.toList().get(1))
                  .contains("keystore-root")
                  .contains("available again");
            });
  }

  /**
   * A provider the test switches off and on. The health check only asks for availability, so it
   * wraps nothing; core's tests have a failing decorator over real providers for the rest.
   */
  private static final class SwitchedProvider implements RootKeyProvider {
    private final String keyId;
    private volatile boolean down;

    SwitchedProvider(String keyId) {
      this.keyId = keyId;
    }

    void down() {
      down = true;
    }

    void up() {
      down = false;
    }

    @Override
    public String keyId() {
      return keyId;
    }

    @Override
    public int keyVersion() {
      return 1;
    }

    @Override
    public RootWrapping wrap(byte[] key, byte[] context) {
      throw new UnsupportedOperationException("the health check wraps nothing");
    }

    @Override
    public byte[] unwrap(RootWrapping wrapping, byte[] context) {
      throw new UnsupportedOperationException("the health check unwraps nothing");
    }

    @Override
    public boolean isAvailable() {
      return !down;
    }

    @Override
    public String toString() {
      return "SwitchedProvider[" + keyId + (down ? ", down" : "") + "]";
    }
  }
}
