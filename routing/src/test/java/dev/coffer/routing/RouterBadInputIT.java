package dev.coffer.routing;

import static dev.coffer.routing.RawHttp.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.routing.RawHttp.Answer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a client can do wrong, on a real socket: each gets a clear 4xx (or 505) in the one error
 * format from the router itself, never a 500 or an empty answer, and no upstream hears of it; slow
 * clients are cut off and every connection is closed in the end.
 */
class RouterBadInputIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static RouterFixture router;
  private Map<String, Integer> before;

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

  @BeforeEach
  void countRequests() {
    before = router.requestCounts();
  }

  @AfterEach
  void noUpstreamHeardOfIt() {
    assertThat(router.requestCounts()).isEqualTo(before);
  }

  private static void assertError(Answer answer, int status, String code) throws IOException {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.header("Content-Type")).isEqualTo("application/json");
    assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
    assertThat(answer.header("Content-Encoding")).isNull();
    JsonNode error = JSON.readTree(answer.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo(code);
    assertThat(error.get("message").asText()).isNotBlank();
  }

  private static Answer raw(String text) throws IOException {
    return RawHttp.once(router.port(), text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GARBAGE\r\n\r\n",
        "GET /v1/vaults HTTP/1.1\r\nHost: r\r\nNo colon here\r\n\r\n",
        "GET /v1/vaults HTTP/1.1\r\nHost: r\r\nBad Name: x\r\n\r\n",
        "GET /v1/vaults HTTP/1.1\r\nHost: r\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        "GET /v1/vaults HTTP/1.1\r\nHost: r\r\nContent-Length: -1\r\n\r\n",
        "PUT /v1/vaults/payments/secrets/s HTTP/1.1\r\nHost: r\r\nTransfer-Encoding: gzip\r\n\r\nxx",
        "PUT /v1/vaults/payments/secrets/s HTTP/1.1\r\nHost: r\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        "GET /v1/vaults/a%2Fb/secrets HTTP/1.1\r\nHost: r\r\n\r\n",
        "GET /v1/vaults/../shards HTTP/1.1\r\nHost: r\r\n\r\n",
        "GET /v1/vaults/payments;x=1/secrets HTTP/1.1\r\nHost: r\r\n\r\n",
        "GET /v1/vaults/pay%zzments/secrets HTTP/1.1\r\nHost: r\r\n\r\n",
      })
  void malformedRequestsAreRefused(String text) throws IOException {
    assertError(raw(text), 400, "MALFORMED_REQUEST");
  }

  @Test
  void badNamesAreRefusedWithTheirCodes() throws IOException {
    assertError(raw(request("GET", "/v1/vaults/Payments/secrets")), 400, "INVALID_VAULT_NAME");
    assertError(raw(request("GET", "/v1/vaults/payments/secrets/.x")), 400, "INVALID_SECRET_NAME");
  }

  @Test
  void anOverlongRequestLineIs414AndOverlongHeadersAre431() throws IOException {
    assertError(
        raw(request("GET", "/v1/vaults/payments/secrets?after=" + "a".repeat(9_000))),
        414,
        "URI_TOO_LONG");
    assertError(
        raw(request("GET", "/v1/vaults/payments/secrets", "X-Big: " + "b".repeat(9_000))),
        431,
        "HEADERS_TOO_LARGE");
  }

  @Test
  void aBodyOverTheCapIs413DeclaredOrCounted() throws IOException {
    int cap = 512 * 1024;
    assertError(
        raw(request("PUT", "/v1/vaults/payments/secrets/s", "Content-Length: " + (cap + 1))),
        413,
        "REQUEST_TOO_LARGE");
    try (RawHttp http = new RawHttp(router.port())) {
      http.write(
          request("PUT", "/v1/vaults/payments/secrets/s", "Transfer-Encoding: chunked")
              .getBytes(StandardCharsets.US_ASCII));
      String chunk = "c".repeat(64 * 1024);
      try {
        for (int sent = 0; sent <= cap; sent += chunk.length()) {
          http.write(
              (Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
        }
      } catch (IOException closedEarly) {
        // The router may close before the client has sent all it meant to.
      }
      Answer answer = http.read(false);
      assertError(answer, 413, "REQUEST_TOO_LARGE");
    }
    assertError(
        raw(
            request(
                "PUT",
                "/v1/vaults/payments/secrets/s",
                "Content-Length: " + (cap + 1),
                "Expect: 100-continue")),
        413,
        "REQUEST_TOO_LARGE");
  }

  @Test
  void unknownPathsAreNotFound() throws IOException {
    for (String target : List.of("/", "/healthcheck", "/v2/vaults", "/v1/other", "/metrics")) {
      assertError(raw(request("GET", target)), 404, "NOT_FOUND");
    }
  }

  @Test
  void methodsOutsideTheFiveAre405WithAllow() throws IOException {
    for (String method : List.of("OPTIONS", "TRACE", "PATCH", "PROPFIND")) {
      Answer answer = raw(request(method, "/v1/vaults/payments/secrets"));
      assertError(answer, 405, "METHOD_NOT_ALLOWED");
      assertThat(answer.header("Allow")).isEqualTo("GET, HEAD, POST, PUT, DELETE");
    }
  }

  @Test
  void anHttpVersionOtherThan10Or11Is505() throws IOException {
    assertError(
        raw("GET /v1/vaults/payments/secrets HTTP/9.9\r\nHost: r\r\n\r\n"),
        505,
        "HTTP_VERSION_NOT_SUPPORTED");
  }

  @Test
  void aRequestThatStopsArrivingIs408AndTheConnectionCloses() throws IOException {
    try (RawHttp http = new RawHttp(router.port())) {
      http.write(
          "GET /v1/vaults/payments/secrets HTTP/1.1\r\nHost: r\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      assertError(http.read(false), 408, "REQUEST_TIMEOUT");
      assertThat(http.closedByPeer()).isTrue();
    }
  }

  @Test
  void aClientTricklingItsHeadersIsCutOffAllTheSame() throws Exception {
    try (RawHttp http = new RawHttp(router.port())) {
      Thread trickle =
          new Thread(
              () -> {
                byte[] text =
                    "GET /v1/vaults/payments/secrets HTTP/1.1\r\nHost: r\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                        .getBytes(StandardCharsets.US_ASCII);
                try {
                  for (byte b : text) {
                    http.write(new byte[] {b});
                    Thread.sleep(100);
                  }
                } catch (IOException | InterruptedException stopped) {
                  // The router closed the connection, as it should.
                }
              });
      trickle.start();
      assertError(http.read(false), 408, "REQUEST_TIMEOUT");
      assertThat(http.closedByPeer()).isTrue();
      trickle.interrupt();
      trickle.join();
    }
  }

  @Test
  void anIdleConnectionIsClosedQuietly() throws IOException {
    try (RawHttp http = new RawHttp(router.port())) {
      assertThat(http.closedByPeer()).isTrue();
    }
  }

  @Test
  void everyConnectionIsClosedInTheEnd() throws Exception {
    List<RawHttp> abandoned = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        RawHttp http = new RawHttp(router.port());
        abandoned.add(http);
        // Half a request line, or nothing at all: the client keeps the connection open.
        if (i % 2 == 0) {
          http.write("GET /v1/vaults HT".getBytes(StandardCharsets.US_ASCII));
        }
      }
      // A connect completes in the kernel before the router has accepted and counted it: wait for
      // the count to see them all first, or a count of zero would pass before they arrived.
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
      while (router.openClientConnections() < abandoned.size() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(router.openClientConnections()).isEqualTo(abandoned.size());
      router.awaitNoClientConnections();
      assertThat(router.openClientConnections()).isZero();
    } finally {
      for (RawHttp http : abandoned) {
        http.close();
      }
    }
  }
}
