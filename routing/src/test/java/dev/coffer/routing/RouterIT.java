package dev.coffer.routing;

import static dev.coffer.routing.RawHttp.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.routing.FakeUpstream.Mode;
import dev.coffer.routing.RawHttp.Answer;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router end to end on real sockets: its own application class, a real base store, and fake
 * upstreams it cannot tell from real ones. Cells a, b and c stay healthy (a's first host is made to
 * fail and recovers); d, e and f are taken down, made to answer garbage, and made to stall, each in
 * its own test, so that no test depends on another's damage.
 */
class RouterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AUTH = "Authorization: Bearer client-token-0123456789";
  private static RouterFixture router;

  @BeforeAll
  static void start() throws Exception {
    router =
        new RouterFixture(
            List.of("shard-a", "shard-b", "shard-c", "shard-d", "shard-e", "shard-f"));
    for (String shard : router.cells.keySet()) {
      router.placeActive("vault-" + shard.substring("shard-".length()), shard);
    }
  }

  @AfterAll
  static void stop() throws IOException {
    if (router != null) {
      router.close();
    }
  }

  @BeforeEach
  void healthyUpstreams() throws Exception {
    router.resetUpstreams();
  }

  private static Answer get(String target, String... headers) throws IOException {
    return RawHttp.once(router.port(), request("GET", target, headers));
  }

  private static Answer send(String method, String target, String body) throws IOException {
    return RawHttp.once(
        router.port(), request(method, target, AUTH, "Content-Length: " + body.length()) + body);
  }

  private static String upstreamOf(Answer answer) {
    return answer.header("Coffer-Upstream");
  }

  private static Set<String> hostNames(String shard) {
    Set<String> names = new HashSet<>();
    router.cells.get(shard).forEach(host -> names.add(host.name()));
    return names;
  }

  private static JsonNode error(Answer answer) throws IOException {
    assertThat(answer.header("Content-Type")).isEqualTo("application/json");
    assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
    assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(answer.header("Content-Encoding")).isNull();
    JsonNode body = JSON.readTree(answer.body()).get("error");
    assertThat(body.get("message").asText()).endsWith(".");
    return body;
  }

  private static void assertError(Answer answer, int status, String code) throws IOException {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(error(answer).get("code").asText()).isEqualTo(code);
  }

  @Test
  void vaultsOnThreeShardsAreReadFromTheirOwnCells() throws IOException {
    for (String shard : List.of("shard-a", "shard-b", "shard-c")) {
      String vault = "vault-" + shard.substring("shard-".length());
      Set<String> answeredBy = new HashSet<>();
      for (int i = 0; i < 4; i++) {
        Answer answer = get("/v1/vaults/" + vault + "/secrets/db-password", AUTH);
        assertThat(answer.status()).isEqualTo(200);
        answeredBy.add(upstreamOf(answer));
      }
      assertThat(hostNames(shard)).containsAll(answeredBy);
    }
  }

  @Test
  void readsGoToTheCellsHostsAndEverythingElseToAControlPlane() throws IOException {
    Set<String> controlPlanes = Set.of("cp-1", "cp-2");
    Map<String, String> toControlPlanes =
        Map.of(
            "PUT /v1/vaults/vault-a/secrets/db-password", "{\"value\":\"v\"}",
            "POST /v1/vaults/vault-a/secrets/db-password/promote?version=1", "",
            "DELETE /v1/vaults/vault-a/secrets/db-password", "",
            "GET /v1/vaults/vault-a/secrets/db-password/versions/1/state", "",
            "GET /v1/vaults", "",
            "POST /v1/vaults", "{\"name\":\"fresh\"}",
            "GET /v1/shards/shard-a/hosts", "",
            "GET /v1/audit/key-operations", "",
            "POST /v1/vaults/vault-a/keys/rotate", "");
    for (var call : toControlPlanes.entrySet()) {
      String[] line = call.getKey().split(" ", -1);
      String body = call.getValue();
      Answer answer =
          RawHttp.once(
              router.port(),
              request(line[0], line[1], AUTH, "Content-Length: " + body.length()) + body);
      assertThat(answer.status()).as(call.getKey()).isEqualTo(200);
      assertThat(upstreamOf(answer)).as(call.getKey()).isIn(controlPlanes);
    }
    for (String target :
        List.of("/v1/vaults/vault-a/secrets/db-password?version=1", "/v1/vaults/vault-a/secrets")) {
      assertThat(upstreamOf(get(target, AUTH))).isIn(hostNames("shard-a"));
    }
    Answer head =
        RawHttp.once(router.port(), request("HEAD", "/v1/vaults/vault-a/secrets/x", AUTH));
    assertThat(head.status()).isEqualTo(200);
    assertThat(upstreamOf(head)).isIn(hostNames("shard-a"));
  }

  @Test
  void aFailingHostsReadIsRetriedOnItsCellSiblingAndNowhereElse() throws Exception {
    for (Mode failure : List.of(Mode.FAIL, Mode.RESET)) {
      router.awaitUpstreamsAvailable();
      FakeUpstream failing = router.cells.get("shard-a").get(0);
      FakeUpstream sibling = router.cells.get("shard-a").get(1);
      failing.mode(failure);
      Map<String, Integer> before = router.requestCounts();
      long retries = router.meter("coffer.router.retries");
      for (int i = 0; i < 6; i++) {
        Answer answer = get("/v1/vaults/vault-a/secrets/db-password", AUTH);
        assertThat(answer.status()).as(failure.name()).isEqualTo(200);
        assertThat(upstreamOf(answer)).isEqualTo(sibling.name());
      }
      Map<String, Integer> after = router.requestCounts();
      assertThat(failing.requests()).isGreaterThan(before.get(failing.name()));
      assertThat(router.meter("coffer.router.retries")).isGreaterThan(retries);
      for (var count : after.entrySet()) {
        if (!hostNames("shard-a").contains(count.getKey())) {
          assertThat(count.getValue()).as(count.getKey()).isEqualTo(before.get(count.getKey()));
        }
      }
      failing.mode(Mode.OK);
    }
  }

  @Test
  void aWriteThatReachedAControlPlaneIsNeverSentAgain() throws IOException {
    FakeUpstream resetting = router.controlPlanes.get(0);
    FakeUpstream healthy = router.controlPlanes.get(1);
    resetting.mode(Mode.RESET);
    int before = resetting.requests() + healthy.requests();
    int badGateways = 0;
    for (int i = 0; i < 6; i++) {
      String body = "{\"value\":\"v" + i + "\"}";
      Answer answer =
          RawHttp.once(
              router.port(),
              request("PUT", "/v1/vaults/vault-a/secrets/s" + i, AUTH, "Content-Length: 14")
                  + body);
      if (answer.status() == 502) {
        assertError(answer, 502, "BAD_GATEWAY");
        assertThat(error(answer).get("errorId").asText()).isNotEmpty();
        badGateways++;
      } else {
        assertThat(answer.status()).isEqualTo(200);
        assertThat(upstreamOf(answer)).isEqualTo(healthy.name());
      }
    }
    assertThat(badGateways).isPositive();
    assertThat(resetting.requests() + healthy.requests() - before).isEqualTo(6);
  }

  @Test
  void aWriteIsSentToAnotherControlPlaneWhenTheFirstCannotBeReached() throws IOException {
    FakeUpstream down = router.controlPlanes.get(0);
    FakeUpstream up = router.controlPlanes.get(1);
    down.stop();
    int before = up.requests();
    for (int i = 0; i < 4; i++) {
      Answer answer = send("POST", "/v1/vaults", "{\"name\":\"fresh\"}");
      assertThat(answer.status()).isEqualTo(200);
      assertThat(upstreamOf(answer)).isEqualTo(up.name());
    }
    assertThat(up.requests() - before).isEqualTo(4);
  }

  @Test
  void aCellWithEveryHostDownIsUnavailableForItsVaultsOnly() throws Exception {
    for (FakeUpstream host : router.cells.get("shard-d")) {
      host.stop();
    }
    for (int i = 0; i < 3; i++) {
      Answer down = get("/v1/vaults/vault-d/secrets/db-password", AUTH);
      assertError(down, 503, "CELL_UNAVAILABLE");
      assertThat(down.header("Retry-After")).isEqualTo("1");
      assertThat(error(down).get("errorId").asText()).isNotEmpty();
      assertThat(get("/v1/vaults/vault-a/secrets/db-password", AUTH).status()).isEqualTo(200);
      assertThat(get("/v1/vaults/vault-b/secrets", AUTH).status()).isEqualTo(200);
    }
    assertThat(awaitUpstreamsCheckUnhealthy()).contains("cell-shard-d").doesNotContain("shard-a");
    // Its writes do not need the cell.
    Answer write =
        RawHttp.once(
            router.port(),
            request("PUT", "/v1/vaults/vault-d/secrets/s", AUTH, "Content-Length: 13")
                + "{\"value\":\"v\"}");
    assertThat(write.status()).isEqualTo(200);
  }

  /** The admin port's {@code upstreams} check's message, once it is unhealthy. */
  private static String awaitUpstreamsCheckUnhealthy() throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
    while (true) {
      Answer health = RawHttp.once(router.adminPort(), request("GET", "/healthcheck"));
      JsonNode check = JSON.readTree(health.body()).get("upstreams");
      if (!check.get("healthy").asBoolean() || System.nanoTime() > deadline) {
        assertThat(check.get("healthy").asBoolean()).as(health.body()).isFalse();
        return check.get("message").asText();
      }
      Thread.sleep(50);
    }
  }

  @Test
  void requestsAreCountedByRouteAndOutcome() throws IOException {
    long reads = router.meter("coffer.router.requests.read.2xx");
    long writes = router.meter("coffer.router.requests.control.2xx");
    long refused = router.meter("coffer.router.requests.refused.4xx");
    long unknown = router.meter("coffer.router.requests.read.4xx");
    get("/v1/vaults/vault-a/secrets", AUTH);
    send("PUT", "/v1/vaults/vault-a/secrets/s", "{\"value\":\"v\"}");
    get("/v1/vaults/Bad/secrets", AUTH);
    get("/v1/vaults/nobody/secrets", AUTH);
    assertThat(router.meter("coffer.router.requests.read.2xx")).isEqualTo(reads + 1);
    assertThat(router.meter("coffer.router.requests.control.2xx")).isEqualTo(writes + 1);
    assertThat(router.meter("coffer.router.requests.refused.4xx")).isEqualTo(refused + 1);
    assertThat(router.meter("coffer.router.requests.read.4xx")).isEqualTo(unknown + 1);
    assertThat(router.metrics().getTimers().keySet())
        .anyMatch(name -> name.startsWith("coffer.router.upstream.127_0_0_1:"));
  }

  @Test
  void anUpstreamAnsweringGarbageIsABadGateway() throws IOException {
    router.cells.get("shard-e").forEach(host -> host.mode(Mode.GARBAGE));
    assertError(get("/v1/vaults/vault-e/secrets/db-password", AUTH), 502, "BAD_GATEWAY");
  }

  @Test
  void anUpstreamThatDoesNotAnswerIsAGatewayTimeout() throws IOException {
    router.cells.get("shard-f").forEach(host -> host.mode(Mode.STALL));
    Answer answer = get("/v1/vaults/vault-f/secrets/db-password", AUTH);
    assertError(answer, 504, "GATEWAY_TIMEOUT");
    assertThat(error(answer).get("errorId").asText()).isNotEmpty();
  }

  @Test
  void aClientThatLeavesDuringAStalledExchangeLeavesNoUpstreamConnectionBehind() throws Exception {
    List<FakeUpstream> hosts = router.cells.get("shard-f");
    hosts.forEach(host -> host.mode(Mode.STALL));
    try (RawHttp http = new RawHttp(router.port())) {
      http.write(
          request("GET", "/v1/vaults/vault-f/secrets", AUTH).getBytes(StandardCharsets.US_ASCII));
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
      while (hosts.stream().allMatch(host -> host.openConnections() == 0)
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
    while (hosts.stream().anyMatch(host -> host.openConnections() > 0)
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(hosts).allMatch(host -> host.openConnections() == 0);
  }

  @Test
  void anUnknownOrUnfinishedVaultIsNotFoundWithoutAskingAnyUpstream() throws Exception {
    router.placements.reserve(VaultName.of("still-creating"), ShardId.of("shard-a"));
    router.awaitRoutingData();
    Map<String, Integer> before = router.requestCounts();
    assertError(get("/v1/vaults/nobody/secrets/db-password", AUTH), 404, "VAULT_NOT_FOUND");
    assertError(get("/v1/vaults/still-creating/secrets", AUTH), 404, "VAULT_NOT_FOUND");
    Answer head = RawHttp.once(router.port(), request("HEAD", "/v1/vaults/nobody/secrets", AUTH));
    assertThat(head.status()).isEqualTo(404);
    assertThat(head.body()).isEmpty();
    assertThat(Integer.parseInt(head.header("Content-Length"))).isPositive();
    assertThat(router.requestCounts()).isEqualTo(before);
  }

  @Test
  void aVaultPlacedAfterTheRouterStartedBecomesRoutable() throws Exception {
    assertError(get("/v1/vaults/late-comer/secrets", AUTH), 404, "VAULT_NOT_FOUND");
    router.placeActive("late-comer", "shard-b");
    Answer answer = get("/v1/vaults/late-comer/secrets", AUTH);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(upstreamOf(answer)).isIn(hostNames("shard-b"));
  }

  @Test
  void cofferHeadersCrossBothWaysAndHopHeadersDoNot() throws IOException {
    FakeUpstream host = router.cells.get("shard-c").get(0);
    router.cells.get("shard-c").get(1).stop();
    Answer answer =
        get(
            "/v1/vaults/vault-c/secrets/db-password",
            AUTH,
            "Coffer-Replication-Token: shard-c:7.1",
            "Coffer-Request-Id: chosen-by-client",
            "Connection: keep-alive, X-Client-Hop",
            "X-Client-Hop: 1",
            "Accept-Encoding: gzip, br",
            "Proxy-Authorization: Basic eDp5");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(upstreamOf(answer)).isEqualTo(host.name());
    FakeUpstream.Received received = host.received().get(host.received().size() - 1);
    assertThat(received.headers())
        .containsEntry("host", host.upstream().authority())
        .containsEntry("authorization", "Bearer client-token-0123456789")
        .containsEntry("coffer-replication-token", "shard-c:7.1")
        .doesNotContainKeys("x-client-hop", "accept-encoding", "proxy-authorization", "connection");
    String requestId = received.headers().get("coffer-request-id");
    assertThat(requestId).isNotEqualTo("chosen-by-client").matches("[0-9a-f-]{36}");
    assertThat(answer.header("Coffer-Request-Id")).isEqualTo(requestId);
    assertThat(answer.header("Coffer-Applied-Position")).isEqualTo("7.1");
    assertThat(answer.headers()).doesNotContainKeys("x-upstream-hop", "keep-alive");
  }

  @Test
  void bodiesReachTheControlPlaneWholeWhetherSentWithALengthOrInChunks() throws IOException {
    String value = "x".repeat(200 * 1024);
    String json = "{\"value\":\"" + value + "\"}";
    Answer sized =
        RawHttp.once(
            router.port(),
            request(
                    "PUT",
                    "/v1/vaults/vault-a/secrets/big",
                    AUTH,
                    "Content-Length: " + json.length())
                + json);
    assertThat(JSON.readTree(sized.body()).get("bytes").asInt()).isEqualTo(json.length());
    StringBuilder chunked =
        new StringBuilder(
            request("PUT", "/v1/vaults/vault-a/secrets/big", AUTH, "Transfer-Encoding: chunked"));
    for (int at = 0; at < json.length(); at += 10_000) {
      String chunk = json.substring(at, Math.min(json.length(), at + 10_000));
      chunked
          .append(Integer.toHexString(chunk.length()))
          .append("\r\n")
          .append(chunk)
          .append("\r\n");
    }
    chunked.append("0\r\n\r\n");
    Answer streamed = RawHttp.once(router.port(), chunked.toString());
    assertThat(JSON.readTree(streamed.body()).get("bytes").asInt()).isEqualTo(json.length());
  }

  @Test
  void oneConnectionCarriesManyRequests() throws IOException {
    try (RawHttp http = new RawHttp(router.port())) {
      for (int i = 0; i < 5; i++) {
        assertThat(http.send(request("GET", "/v1/vaults/vault-b/secrets", AUTH)).status())
            .isEqualTo(200);
        assertError(
            http.send(request("GET", "/v1/vaults/nobody/secrets", AUTH)), 404, "VAULT_NOT_FOUND");
      }
    }
  }

  @Test
  void jettyServesOnlyTheAdminPortAndOnLoopback() {
    DefaultServerFactory server = (DefaultServerFactory) router.configuration().getServerFactory();
    assertThat(server.getApplicationConnectors()).isEmpty();
    assertThat(server.getAdminConnectors())
        .singleElement()
        .extracting(connector -> ((HttpConnectorFactory) connector).getBindHost())
        .isEqualTo("127.0.0.1");
  }

  @Test
  void theRoutingDataHealthCheckIsOnTheAdminPort() throws IOException {
    Answer health = RawHttp.once(router.adminPort(), request("GET", "/healthcheck"));
    JsonNode routingData = JSON.readTree(health.body()).get("routing-data");
    assertThat(routingData.get("healthy").asBoolean()).as(health.body()).isTrue();
    assertThat(router.metrics().getGauges()).containsKey("coffer.router.routing-data.age-ms");
  }

  @Test
  void largeAnswersStreamToASlowReaderWholeWithALengthOrInChunks() throws Exception {
    int size = 4 * 1024 * 1024;
    for (String target :
        List.of(
            "/v1/vaults/vault-b/secrets?size=" + size,
            "/v1/vaults/vault-b/secrets?chunked=1&size=" + size)) {
      try (RawHttp http = new RawHttp(router.port())) {
        http.write(request("GET", target, AUTH).getBytes(StandardCharsets.US_ASCII));
        // The client reads nothing for a while: the router must hold back, not fail or drop.
        Thread.sleep(300);
        Answer answer = http.read(false);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).hasSize(size).matches("x+");
        if (target.contains("chunked")) {
          assertThat(answer.header("Transfer-Encoding")).isEqualTo("chunked");
        } else {
          assertThat(answer.header("Content-Length")).isEqualTo(String.valueOf(size));
        }
      }
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws IOException {
    try (RawHttp http = new RawHttp(router.port())) {
      String three =
          request("GET", "/v1/vaults/vault-a/secrets", AUTH)
              + request("GET", "/v1/vaults/nobody/secrets", AUTH)
              + request("GET", "/v1/vaults/vault-b/secrets", AUTH);
      http.write(three.getBytes(StandardCharsets.US_ASCII));
      assertThat(upstreamOf(http.read(false))).isIn(hostNames("shard-a"));
      assertError(http.read(false), 404, "VAULT_NOT_FOUND");
      assertThat(upstreamOf(http.read(false))).isIn(hostNames("shard-b"));
    }
  }

  @Test
  void anHttp10ClientGetsABodyOfUnknownLengthEndedByTheClose() throws IOException {
    try (RawHttp http = new RawHttp(router.port())) {
      http.write(
          "GET /v1/vaults/vault-a/secrets?chunked=1&size=10000 HTTP/1.0\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      Answer answer = http.read(false);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body()).hasSize(10_000);
      assertThat(answer.headers()).doesNotContainKeys("transfer-encoding", "content-length");
    }
  }
}
