package dev.coffer.dataplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.SecretDeleted;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.dataplane.replication.RecentApplies;
import dev.coffer.service.http.CofferExceptionMapper;
import io.dropwizard.logging.common.BootstrapLogging;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class ApplyTimesResourceTest {
  private static final ShardId SHARD = ShardId.of("shard-1");
  private static final Instant AT = Instant.parse("2030-01-01T00:00:00Z");
  private static final RecentApplies TIMES = new RecentApplies(16);

  static {
    BootstrapLogging.bootstrap();
    // Five events, 20.0 … 24.0; event 2N.0 took N ms + 7 µs from append to apply.
    List<PositionedEvent> batch = new ArrayList<>();
    Instant applied = AT.plusSeconds(1);
    for (int i = 0; i < 5; i++) {
      batch.add(
          new PositionedEvent(
              new LogPosition(20 + i, 0),
              new SecretDeleted(VaultName.of("payments"), SecretName.of("db"), 1, AT),
              applied.minusNanos(i * 1_000_000L + 7_000)));
    }
    TIMES.applied(batch, applied);
  }

  private static final ResourceExtension RESOURCE =
      ResourceExtension.builder()
          .addResource(new ApplyTimesResource(SHARD, TIMES))
          .addProvider(new CofferExceptionMapper())
          .build();

  private static Response get(String after, String limit) {
    var target = RESOURCE.target("/v1/replication/apply-times");
    if (after != null) {
      target = target.queryParam("after", after);
    }
    if (limit != null) {
      target = target.queryParam("limit", limit);
    }
    return target.request().get();
  }

  @Test
  void pagesThroughEveryRememberedEventInLogOrder() {
    JsonNode first = get(null, "2").readEntity(JsonNode.class);
    assertThat(first.path("shard").asText()).isEqualTo("shard-1");
    assertThat(positions(first)).containsExactly("20.0", "21.0");
    assertThat(first.path("events").get(1).path("appendedToAppliedMicros").asLong())
        .isEqualTo(1_007);
    assertThat(first.path("next").asText()).isEqualTo("shard-1:21.0");

    JsonNode second = get(first.path("next").asText(), "2").readEntity(JsonNode.class);
    assertThat(positions(second)).containsExactly("22.0", "23.0");

    JsonNode last = get(second.path("next").asText(), "2").readEntity(JsonNode.class);
    assertThat(positions(last)).containsExactly("24.0");
    assertThat(last.path("events").get(0).path("appendedToAppliedMicros").asLong())
        .isEqualTo(4_007);
    assertThat(last.path("next").isNull()).isTrue();
  }

  @Test
  void aPositionBetweenEventsStartsAtTheNextOne() {
    JsonNode page = get("shard-1:22.5", null).readEntity(JsonNode.class);

    assertThat(positions(page)).containsExactly("23.0", "24.0");
  }

  @Test
  void badOrForeignPositionsAndLimitsAreBadRequests() {
    for (String after : List.of("", "22.0", "shard-1:x.1", "shard-2:22.0")) {
      Response response = get(after, null);

      assertThat(response.getStatus()).as(after).isEqualTo(400);
      assertThat(response.readEntity(JsonNode.class).path("error").path("code").asText())
          .as(after)
          .isEqualTo("INVALID_REPLICATION_TOKEN");
    }
    for (String limit : List.of("0", "1001", "many")) {
      Response response = get(null, limit);

      assertThat(response.getStatus()).as(limit).isEqualTo(400);
      assertThat(response.readEntity(JsonNode.class).path("error").path("code").asText())
          .as(limit)
          .isEqualTo("MALFORMED_REQUEST");
    }
  }

  private static List<String> positions(JsonNode page) {
    List<String> positions = new ArrayList<>();
    page.path("events").forEach(e -> positions.add(e.path("position").asText()));
    return positions;
  }
}
