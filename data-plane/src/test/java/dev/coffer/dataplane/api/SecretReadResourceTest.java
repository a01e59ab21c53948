package dev.coffer.dataplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.core.crypto.EnvelopeSecretCrypto;
import dev.coffer.core.crypto.LocalRootKeyProvider;
import dev.coffer.core.crypto.SecretIdentity;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.SecretDeleted;
import dev.coffer.core.event.SecretVersionPut;
import dev.coffer.core.event.VaultCreated;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.dataplane.read.ReadMetrics;
import dev.coffer.dataplane.read.ReplicaReads;
import dev.coffer.dataplane.replication.RecentApplies;
import dev.coffer.service.http.CofferExceptionMapper;
import dev.coffer.testkit.storage.InMemoryReplicaStore;
import io.dropwizard.logging.common.BootstrapLogging;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP face of host reads: the token header is parsed and checked, and every answer says which
 * store answered and what position it includes.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SecretReadResourceTest {
  private static final ShardId SHARD = ShardId.of("shard-1");
  private static final VaultName VAULT = VaultName.of("payments");
  private static final SecretName DB = SecretName.of("db-password");
  private static final Instant AT = Instant.parse("2030-01-01T00:00:00Z");

  private static final EnvelopeSecretCrypto CRYPTO =
      new EnvelopeSecretCrypto(
          LocalRootKeyProvider.fromBase64("root-1", LocalRootKeyProvider.generateBase64Key()),
          Duration.ofMinutes(5));
  private static final InMemoryReplicaStore LOCAL = new InMemoryReplicaStore();
  private static final InMemoryReplicaStore REMOTE = new InMemoryReplicaStore();

  static {
    // Before the extension is built: building it logs, and logback's default level is DEBUG.
    BootstrapLogging.bootstrap();
    // The replica has version 1 at 10.0; the shard store also has version 2 at 11.0.
    WrappedVaultKey key = CRYPTO.newVaultKey(VAULT);
    PositionedEvent vault =
        new PositionedEvent(new LogPosition(9, 0), new VaultCreated(VAULT, 1, key, AT));
    PositionedEvent first = new PositionedEvent(new LogPosition(10, 0), put(key, 1, "one"));
    PositionedEvent second = new PositionedEvent(new LogPosition(11, 0), put(key, 2, "two"));
    LOCAL.apply(List.of(vault, first));
    REMOTE.apply(List.of(vault, first, second));
  }

  private static final ResourceExtension RESOURCE =
      ResourceExtension.builder()
          .addResource(
              new SecretReadResource(
                  new ReplicaReads(
                      SHARD,
                      LOCAL,
                      REMOTE,
                      (target, timeout) -> false,
                      Duration.ZERO,
                      CRYPTO,
                      new ReadMetrics(new MetricRegistry(), SHARD)),
                  // Both known, so that only the rule "local answers only" keeps 11.0's off.
                  applyTimes()))
          .addProvider(new CofferExceptionMapper())
          .build();

  /** 10.0 took 12.345678 ms from append to apply, 11.0 took 3 ms. */
  private static RecentApplies applyTimes() {
    RecentApplies times = new RecentApplies(4);
    Instant applied = AT.plusSeconds(1);
    times.applied(
        List.of(
            new PositionedEvent(
                new LogPosition(10, 0),
                new SecretDeleted(VAULT, DB, 1, AT),
                applied.minusNanos(12_345_678)),
            new PositionedEvent(
                new LogPosition(11, 0),
                new SecretDeleted(VAULT, DB, 1, AT),
                applied.minusMillis(3))),
        applied);
    return times;
  }

  private static SecretVersionPut put(WrappedVaultKey key, long version, String value) {
    return new SecretVersionPut(
        VAULT,
        DB,
        version,
        version,
        AT,
        CRYPTO.seal(new SecretIdentity(VAULT, DB, version), key, SecretValue.ofUtf8(value)));
  }

  private static Response get(String path, String token) {
    return get(path, null, token);
  }

  private static Response get(String path, String version, String token) {
    var target = RESOURCE.target(path);
    if (version != null) {
      target = target.queryParam("version", version);
    }
    var request = target.request();
    if (token != null) {
      request = request.header("Coffer-Replication-Token", token);
    }
    return request.get();
  }

  @Test
  void aLocalAnswerCarriesTheReplicasPosition() {
    Response response = get("/v1/vaults/payments/secrets/db-password", "shard-1:10.0");

    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getHeaderString("Coffer-Served-From")).isEqualTo("local");
    assertThat(response.getHeaderString("Coffer-Applied-Position")).isEqualTo("10.0");
    assertThat(response.readEntity(JsonNode.class).path("value").asText()).isEqualTo("one");
  }

  @Test
  void aLocalAnswerToATokenSaysHowLongItsWriteTookToApplyHere() {
    Response response = get("/v1/vaults/payments/secrets/db-password", "shard-1:10.0");

    assertThat(response.getHeaderString("Coffer-Served-From")).isEqualTo("local");
    assertThat(response.getHeaderString("Server-Timing")).isEqualTo("apply;dur=12.345");
  }

  @Test
  void answersWithoutATokenOrFromTheStoreSayNothingOfApplyTimes() {
    Response tokenless = get("/v1/vaults/payments/secrets/db-password", null);
    Response remote = get("/v1/vaults/payments/secrets/db-password", "shard-1:11.0");

    assertThat(tokenless.getHeaderString("Coffer-Served-From")).isEqualTo("local");
    assertThat(tokenless.getHeaderString("Server-Timing")).isNull();
    assertThat(remote.getHeaderString("Coffer-Served-From")).isEqualTo("remote");
    assertThat(remote.getHeaderString("Server-Timing")).isNull();
  }

  @Test
  void aTokenAheadOfTheReplicaIsAnsweredRemotelyWithTheStoresPosition() {
    Response response = get("/v1/vaults/payments/secrets/db-password", "shard-1:11.0");

    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getHeaderString("Coffer-Served-From")).isEqualTo("remote");
    assertThat(response.getHeaderString("Coffer-Applied-Position")).isEqualTo("11.0");
    JsonNode body = response.readEntity(JsonNode.class);
    assertThat(body.path("version").asLong()).isEqualTo(2);
    assertThat(body.path("value").asText()).isEqualTo("two");
  }

  @Test
  void aListHonoursTheTokenToo() {
    Response response = get("/v1/vaults/payments/secrets", "shard-1:11.0");

    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getHeaderString("Coffer-Served-From")).isEqualTo("remote");
    assertThat(
            response
                .readEntity(JsonNode.class)
                .path("secrets")
                .get(0)
                .path("latestVersion")
                .asLong())
        .isEqualTo(2);
  }

  @Test
  void anExplicitVersionMissingLocallyIsNeverANotFound() {
    Response response = get("/v1/vaults/payments/secrets/db-password", "2", null);

    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.getHeaderString("Coffer-Served-From")).isEqualTo("remote");
  }

  @Test
  void malformedAndForeignTokensAreBadRequests() {
    for (String token : List.of("", "shard-1", "shard-1:x.1", "Shard-1:1.0", "shard-2:1.0")) {
      Response response = get("/v1/vaults/payments/secrets/db-password", token);

      assertThat(response.getStatus()).as(token).isEqualTo(400);
      assertThat(response.readEntity(JsonNode.class).path("error").path("code").asText())
          .as(token)
          .isEqualTo("INVALID_REPLICATION_TOKEN");
    }
  }

  @Test
  void aStageReadAnswersWithTheVersionsStages() {
    Response response = query("stage", "CURRENT");

    assertThat(response.getStatus()).isEqualTo(200);
    JsonNode body = response.readEntity(JsonNode.class);
    assertThat(body.path("version").asLong()).isEqualTo(1);
    assertThat(body.path("stages").toString()).isEqualTo("[\"CURRENT\"]");
  }

  @Test
  void anEmptyStageIsNoVersionInStage() {
    Response response = query("stage", "PREVIOUS");

    assertThat(response.getStatus()).isEqualTo(404);
    assertThat(response.readEntity(JsonNode.class).path("error").path("code").asText())
        .isEqualTo("NO_VERSION_IN_STAGE");
  }

  @Test
  void unknownStagesAndAStageWithAVersionAreBadRequests() {
    for (String stage : List.of("current", "LATEST", " CURRENT", "AWSCURRENT")) {
      Response response = query("stage", stage);

      assertThat(response.getStatus()).as(stage).isEqualTo(400);
      assertThat(response.readEntity(JsonNode.class).path("error").path("code").asText())
          .as(stage)
          .isEqualTo("INVALID_STAGE");
    }
    Response both = query("stage", "CURRENT", "version", "1");

    assertThat(both.getStatus()).isEqualTo(400);
    assertThat(both.readEntity(JsonNode.class).path("error").path("code").asText())
        .isEqualTo("MALFORMED_REQUEST");
  }

  @Test
  void anEmptyOrRepeatedStageIsABadRequestNotTheCurrentVersion() {
    for (String[] pairs :
        List.of(
            new String[] {"stage", ""},
            new String[] {"stage", "", "stage", ""},
            new String[] {"stage", "CURRENT", "stage", "PREVIOUS"})) {
      Response response = query(pairs);

      assertThat(response.getStatus()).as(String.join(",", pairs)).isEqualTo(400);
      assertThat(response.readEntity(JsonNode.class).path("error").path("code").asText())
          .isEqualTo("INVALID_STAGE");
    }
  }

  private static Response query(String... pairs) {
    var target = RESOURCE.target("/v1/vaults/payments/secrets/db-password");
    for (int i = 0; i < pairs.length; i += 2) {
      target = target.queryParam(pairs[i], pairs[i + 1]);
    }
    return target.request().get();
  }
}
