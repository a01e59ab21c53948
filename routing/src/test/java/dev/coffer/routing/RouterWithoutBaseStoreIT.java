package dev.coffer.routing;

import static dev.coffer.routing.RawHttp.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The base store goes away: the router keeps routing on the placements it has, and its health check
 * says the routing data is getting old.
 */
class RouterWithoutBaseStoreIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static RouterFixture router;

  @BeforeAll
  static void start() throws Exception {
    router = new RouterFixture(List.of("shard-a"));
    router.placeActive("payments", "shard-a");
  }

  @AfterAll
  static void stop() throws IOException {
    if (router != null) {
      router.close();
    }
  }

  @Test
  void routingGoesOnFromWhatTheRouterHasAndItsHealthSaysHowOldThatIs() throws Exception {
    assertThat(routingDataHealthy()).isTrue();
    router.postgres.close();

    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (routingDataHealthy() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(routingDataHealthy()).isFalse();
    RawHttp.Answer read =
        RawHttp.once(router.port(), request("GET", "/v1/vaults/payments/secrets/db-password"));
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.header("Coffer-Upstream")).startsWith("shard-a-host-");
  }

  private static boolean routingDataHealthy() throws IOException {
    RawHttp.Answer health = RawHttp.once(router.adminPort(), request("GET", "/healthcheck"));
    JsonNode check = JSON.readTree(health.body()).get("routing-data");
    return check.get("healthy").asBoolean();
  }
}
