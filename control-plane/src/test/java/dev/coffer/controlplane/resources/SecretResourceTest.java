package dev.coffer.controlplane.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.controlplane.secret.SecretService;
import dev.coffer.core.crypto.EnvelopeSecretCrypto;
import dev.coffer.core.crypto.LocalRootKeyProvider;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.event.SecretStagesChanged;
import dev.coffer.core.event.SecretVersionPut;
import dev.coffer.core.event.VaultCreated;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretStage;
import dev.coffer.core.model.SecretVersionRecord;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.model.VaultRecord;
import dev.coffer.core.model.VersionState;
import dev.coffer.core.storage.SecretReadAccessor;
import dev.coffer.core.storage.ShardWriteStore;
import dev.coffer.core.storage.VaultPlacementStore;
import dev.coffer.placement.ShardDirectory;
import dev.coffer.service.http.CofferExceptionMapper;
import dev.coffer.service.http.JsonErrorMapper;
import dev.coffer.service.http.StrictUtf8Bodies;
import dev.coffer.testkit.storage.InMemoryReplicaStore;
import io.dropwizard.logging.common.BootstrapLogging;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The control plane's secret API over a shard held in memory: which parameters reach the store and
 * what the answers look like. The real shard store and real processes are tested in replication and
 * deployment.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SecretResourceTest {
  private static final ShardId SHARD = ShardId.of("shard-1");
  private static final VaultName VAULT = VaultName.of("payments");
  private static final String PATH = "/v1/vaults/payments/secrets/db-password";

  private static final EnvelopeSecretCrypto CRYPTO =
      new EnvelopeSecretCrypto(
          LocalRootKeyProvider.fromBase64("root-1", LocalRootKeyProvider.generateBase64Key()),
          Duration.ofMinutes(5));
  private static final MemoryShard SHARD_STORE = new MemoryShard();

  static {
    // Before the extension is built: building it logs, and logback's default level is DEBUG.
    BootstrapLogging.bootstrap();
    SHARD_STORE.reset();
  }

  private static final ResourceExtension RESOURCE =
      ResourceExtension.builder()
          .addResource(
              new SecretResource(
                  new SecretService(
                      new ShardDirectory(
                          placements(),
                          Map.of(
                              SHARD,
                              new ShardDirectory.Shard(
                                  SHARD, SHARD_STORE, SHARD_STORE, null, null))),
                      CRYPTO)))
          .addProvider(new CofferExceptionMapper())
          .addProvider(new JsonErrorMapper())
          .addProvider(new StrictUtf8Bodies())
          .build();

  @BeforeEach
  void freshShard() {
    SHARD_STORE.reset();
  }

  @Test
  void aVersionsStateIsAnsweredWithoutItsValue() {
    put("", "one");
    put("", "two");
    SHARD_STORE.activeUpTo = 1;

    Response active = RESOURCE.target(PATH + "/versions/1/state").request().get();
    assertThat(active.getStatus()).isEqualTo(200);
    JsonNode body = active.readEntity(JsonNode.class);
    assertThat(body.toString())
        .isEqualTo(
            "{\"vault\":\"payments\",\"name\":\"db-password\",\"version\":1,"
                + "\"state\":\"ACTIVE\"}");
    assertThat(
            RESOURCE
                .target(PATH + "/versions/2/state")
                .request()
                .get()
                .readEntity(JsonNode.class)
                .path("state")
                .asText())
        .isEqualTo("PENDING");

    assertError(
        RESOURCE.target(PATH + "/versions/3/state").request().get(), 404, "VERSION_NOT_FOUND");
    for (String bad : List.of("0", "-1", "two", "1.5")) {
      assertError(
          RESOURCE.target(PATH + "/versions/" + bad + "/state").request().get(),
          400,
          "INVALID_VERSION");
    }
  }

  @Test
  void aPendingPutLeavesReadsOnTheCurrentVersionUntilItIsPromoted() {
    assertThat(put("", "one").getStatus()).isEqualTo(201);
    Response pending = put("?stage=PENDING", "two");

    assertThat(pending.getStatus()).isEqualTo(201);
    JsonNode written = pending.readEntity(JsonNode.class);
    assertThat(written.path("version").asLong()).isEqualTo(2);
    assertThat(written.path("stages").toString()).isEqualTo("{\"CURRENT\":1,\"PENDING\":2}");
    assertThat(written.path("state").asText()).isEqualTo("PENDING");
    JsonNode current = get("").readEntity(JsonNode.class);
    assertThat(current.path("value").asText()).isEqualTo("one");
    assertThat(current.path("stages").toString()).isEqualTo("[\"CURRENT\"]");

    Response promoted = promote("?version=2");

    assertThat(promoted.getStatus()).isEqualTo(200);
    JsonNode body = promoted.readEntity(JsonNode.class);
    assertThat(body.path("stages").toString()).isEqualTo("{\"CURRENT\":2,\"PREVIOUS\":1}");
    assertThat(body.path("replicationToken").asText())
        .isEqualTo(promoted.getHeaderString("Coffer-Replication-Token"))
        .startsWith("shard-1:");
    assertThat(get("").readEntity(JsonNode.class).path("value").asText()).isEqualTo("two");
    JsonNode previous = get("?stage=PREVIOUS").readEntity(JsonNode.class);
    assertThat(previous.path("version").asLong()).isEqualTo(1);
    assertThat(previous.path("stages").toString()).isEqualTo("[\"PREVIOUS\"]");
    assertThat(get("?version=2").readEntity(JsonNode.class).path("stages").toString())
        .isEqualTo("[\"CURRENT\"]");
  }

  @Test
  void rejectedStagesWriteNothing() {
    put("", "one");

    assertError(put("?stage=PREVIOUS", "x"), 400, "INVALID_STAGE");
    assertError(put("?stage=pending", "x"), 400, "INVALID_STAGE");
    assertError(get("?stage=LATEST"), 400, "INVALID_STAGE");
    assertError(get("?stage=CURRENT&version=1"), 400, "MALFORMED_REQUEST");
    assertError(promote(""), 400, "INVALID_VERSION");
    assertError(promote("?version=-1"), 400, "INVALID_VERSION");
    assertError(promote("?version=7"), 404, "VERSION_NOT_FOUND");

    assertThat(SHARD_STORE.writes).isEqualTo(1);
  }

  @Test
  void anEmptyOrRepeatedStageIsRefusedRatherThanReadAsCurrent() {
    put("", "one");

    for (String query :
        List.of("?stage=", "?stage=&stage=", "?stage=CURRENT&stage=PENDING", "?stage=%20CURRENT")) {
      assertError(get(query), 400, "INVALID_STAGE");
      assertError(put(query, "x"), 400, "INVALID_STAGE");
    }

    assertThat(SHARD_STORE.writes).isEqualTo(1);
  }

  @Test
  void notFoundMessagesNeverNameTheVaultOrSecret() {
    put("", "one");

    List<Response> answers =
        List.of(
            RESOURCE.target("/v1/vaults/zq7x-vault/secrets/db-password").request().get(),
            RESOURCE.target("/v1/vaults/zq7x-vault/secrets").request().get(),
            RESOURCE.target("/v1/vaults/payments/secrets/zq7x-secret").request().get(),
            get("?version=9"),
            get("?stage=PREVIOUS"),
            RESOURCE.target(PATH + "/versions/9/state").request().get());

    for (Response answer : answers) {
      assertThat(answer.getStatus()).isEqualTo(404);
      assertThat(answer.readEntity(JsonNode.class).path("error").path("message").asText())
          .isNotBlank()
          .doesNotContain("zq7x")
          .doesNotContain("payments")
          .doesNotContain("db-password");
    }
  }

  @Test
  void aValueWithAnUnpairedSurrogateIsRefusedAndNothingIsWritten() {
    for (String escaped : List.of("\\ud800x", "x\\udc00", "\\udfff\\ud800", "zq7x\\ud83d")) {
      Response answer =
          putRaw(("{\"value\":\"" + escaped + "\"}").getBytes(StandardCharsets.UTF_8));

      assertError(answer, 400, "INVALID_SECRET_VALUE");
    }
    assertThat(SHARD_STORE.writes).isZero();
  }

  @Test
  void aBodyThatIsNotWellFormedUtf8IsRefusedRatherThanDecodedToOtherText() {
    for (String hex :
        List.of(
            "c0af", // overlong '/', which Jackson alone decodes to '/'
            "e0808f", // overlong U+000F
            "f4908080", // above U+10FFFF
            "eda080", // an encoded surrogate
            "ff")) {
      byte[] body =
          HexFormat.of().parseHex("7b2276616c7565223a2261" + hex + "62227d"); // {"value":"a…b"}

      assertError(putRaw(body), 400, "MALFORMED_REQUEST");
    }
    assertThat(SHARD_STORE.writes).isZero();
    assertThat(
            putRaw("{\"value\":\"\u00e9\ud83d\ude00\"}".getBytes(StandardCharsets.UTF_8))
                .getStatus())
        .isEqualTo(201);
    assertThat(get("").readEntity(JsonNode.class).path("value").asText())
        .isEqualTo("\u00e9\ud83d\ude00");
  }

  private static Response putRaw(byte[] body) {
    return RESOURCE
        .target(PATH)
        .request()
        .put(Entity.entity(body, MediaType.APPLICATION_JSON_TYPE));
  }

  @Test
  void aSecretWithOnlyAPendingVersionHasNoCurrentOne() {
    put("?stage=PENDING", "one");

    Response current = get("");

    assertError(current, 404, "NO_VERSION_IN_STAGE");
    assertThat(get("?stage=PENDING").getStatus()).isEqualTo(200);
  }

  private static Response put(String query, String value) {
    return target(PATH, query)
        .request()
        .put(Entity.entity(Map.of("value", value), MediaType.APPLICATION_JSON_TYPE));
  }

  private static Response promote(String query) {
    return target(PATH + "/promote", query).request().post(Entity.json(""));
  }

  private static Response get(String query) {
    return target(PATH, query).request().get();
  }

  /**
   * {@code query} as written in a URL ({@code ?a=1&b=2}, or empty), added parameter by parameter.
   */
  private static WebTarget target(String path, String query) {
    WebTarget target = RESOURCE.target(path);
    if (!query.isEmpty()) {
      for (String pair : query.substring(1).split("&", -1)) {
        String[] parts = pair.split("=", 2);
        target = target.queryParam(parts[0], parts.length > 1 ? parts[1] : "");
      }
    }
    return target;
  }

  private static void assertError(Response response, int status, String code) {
    assertThat(response.getStatus()).isEqualTo(status);
    JsonNode error = response.readEntity(JsonNode.class).path("error");
    assertThat(error.path("code").asText()).isEqualTo(code);
    assertThat(error.path("message").asText()).endsWith(".");
  }

  private static VaultPlacementStore placements() {
    return new VaultPlacementStore() {
      @Override
      public void registerShard(ShardId shard) {}

      @Override
      public List<ShardId> shards() {
        return List.of(SHARD);
      }

      @Override
      public Map<ShardId, Long> vaultCounts() {
        return Map.of(SHARD, 1L);
      }

      @Override
      public boolean reserve(VaultName vault, ShardId shard) {
        return false;
      }

      @Override
      public void release(VaultName vault, ShardId shard) {}

      @Override
      public void markActive(VaultName vault) {}

      @Override
      public Optional<Placement> find(VaultName vault) {
        return vault.equals(VAULT)
            ? Optional.of(new Placement(VAULT, SHARD, Placement.State.ACTIVE, Instant.EPOCH))
            : Optional.empty();
      }

      @Override
      public List<Placement> list(Optional<VaultName> after, int limit) {
        return List.of();
      }

      @Override
      public List<Placement> creating() {
        return List.of();
      }
    };
  }

  /**
   * One secret's worth of shard store: numbers versions, moves stages as {@link StageMap} says and
   * keeps the result in the reference replica, which then serves the reads.
   */
  private static final class MemoryShard implements ShardWriteStore, SecretReadAccessor {
    InMemoryReplicaStore state;
    WrappedVaultKey key;
    long entityVersion;
    long lastVersion;
    long position;
    StageMap stages;
    int writes;

    /** Versions up to this one are ACTIVE, as if every host had applied them. */
    long activeUpTo;

    synchronized void reset() {
      activeUpTo = 0;
      state = new InMemoryReplicaStore();
      key = CRYPTO.newVaultKey(VAULT);
      entityVersion = 0;
      lastVersion = 0;
      position = 0;
      stages = StageMap.NONE;
      writes = 0;
      append(new VaultCreated(VAULT, 1, key, Instant.EPOCH));
    }

    private LogPosition append(ReplicationEvent event) {
      LogPosition at = new LogPosition(100 + ++position, 0);
      state.apply(List.of(new PositionedEvent(at, event)));
      return at;
    }

    @Override
    public WriteOutcome createVault(VaultName vault, WrappedVaultKey key) {
      throw new UnsupportedOperationException();
    }

    @Override
    public synchronized WriteOutcome putSecret(
        VaultName vault, SecretName secret, SecretStage stage, VersionSealer sealer) {
      writes++;
      long version = ++lastVersion;
      stages = stages.afterPut(version, stage);
      LogPosition at =
          append(
              new SecretVersionPut(
                  vault,
                  secret,
                  ++entityVersion,
                  version,
                  Instant.EPOCH.plusSeconds(version),
                  sealer.seal(key, version),
                  stages));
      return new WriteOutcome(version, at, stages);
    }

    @Override
    public synchronized WriteOutcome promoteToCurrent(
        VaultName vault, SecretName secret, long version) {
      if (state.version(vault, secret, version).isEmpty()) {
        throw new CofferException(ErrorCode.VERSION_NOT_FOUND, "No such version.");
      }
      writes++;
      stages = stages.afterPromote(version);
      LogPosition at =
          append(new SecretStagesChanged(vault, secret, ++entityVersion, stages, Instant.EPOCH));
      return new WriteOutcome(version, at, stages);
    }

    @Override
    public WriteOutcome deleteSecret(VaultName vault, SecretName secret) {
      throw new UnsupportedOperationException();
    }

    @Override
    public synchronized Optional<VersionState> versionState(
        VaultName vault, SecretName secret, long version) {
      return state
          .version(vault, secret, version)
          .map(v -> version <= activeUpTo ? VersionState.ACTIVE : VersionState.PENDING);
    }

    @Override
    public synchronized Optional<VaultRecord> vault(VaultName vault) {
      return state.vault(vault);
    }

    @Override
    public synchronized Optional<SecretVersionRecord> latest(VaultName vault, SecretName secret) {
      return state.latest(vault, secret);
    }

    @Override
    public synchronized Optional<StageMap> stages(VaultName vault, SecretName secret) {
      return state.stages(vault, secret);
    }

    @Override
    public synchronized Optional<SecretVersionRecord> version(
        VaultName vault, SecretName secret, long version) {
      return state.version(vault, secret, version);
    }

    @Override
    public synchronized List<SecretMetadata> list(
        VaultName vault, Optional<SecretName> after, int limit) {
      return state.list(vault, after, limit);
    }

    @Override
    public synchronized LogPosition position() {
      return state.position();
    }
  }
}
