package dev.coffer.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests that are not valid HTTP for the API, sent byte by byte to real servers: every answer is
 * the JSON error format with its documented code and status and {@code Cache-Control: no-store},
 * whichever method it came with and whether Jetty or the application refused it; none is a 5xx
 * other than the 505 for an HTTP version the server does not speak; and no server logs one as a
 * fault.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolErrorsIT {
  private static final byte[] NONE = new byte[0];
  private static final String SECRET = "/v1/vaults/known/secrets/there";

  private LocalCluster cluster;
  private int controlPlane;
  private int host;
  private int hostAdmin;

  @RegisterExtension static final KnownSecretDeployment DEPLOYMENT = new KnownSecretDeployment();

  @BeforeAll
  void start() {
    cluster = DEPLOYMENT.cluster();
    controlPlane = URI.create(cluster.controlPlaneUrl()).getPort();
    host = DEPLOYMENT.host().port();
    hostAdmin = DEPLOYMENT.host().adminPort();
  }

  record Case(String what, int port, byte[] request, int status, String code) {}

  @Test
  void everyProtocolErrorIsAJsonErrorWithItsOwnCodeOnEveryPort() {
    List<Case> cases = new ArrayList<>();
    for (int port : new int[] {controlPlane, host, hostAdmin}) {
      String on = " on port " + port;
      cases.add(bad("encoded slash, PUT" + on, port, "PUT /v1/vaults/known/secrets/a%2Fb"));
      cases.add(bad("dot segments, DELETE" + on, port, "DELETE /v1/vaults/known/%2E%2E/x"));
      cases.add(bad("backslash, POST" + on, port, "POST /v1/vaults/known\\secrets"));
      cases.add(bad("NUL, PUT" + on, port, "PUT /v1/vaults/%00/secrets/a"));
      cases.add(bad("garbage request line" + on, port, "\u0016\u0003\u0001 hello there"));
      for (String method : List.of("FOO", "PROPFIND", "TRACE", "OPTIONS", "PATCH")) {
        cases.add(
            new Case(
                method + on,
                port,
                raw(method + " /v1/vaults HTTP/1.1", List.of(auth()), NONE),
                405,
                "METHOD_NOT_ALLOWED"));
      }
      cases.add(
          new Case(
              "headers over 8 KiB" + on,
              port,
              raw("PUT " + SECRET + " HTTP/1.1", List.of("X-Big: " + "a".repeat(20_000)), NONE),
              431,
              "HEADERS_TOO_LARGE"));
      cases.add(
          new Case(
              "URI over 8 KiB" + on,
              port,
              raw("DELETE /v1/" + "a".repeat(20_000) + " HTTP/1.1", List.of(), NONE),
              414,
              "URI_TOO_LONG"));
      cases.add(
          new Case(
              "HTTP/0.9" + on,
              port,
              "GET /v1/vaults\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
              505,
              "HTTP_VERSION_NOT_SUPPORTED"));
      cases.add(
          new Case(
              "HTTP/9.9" + on,
              port,
              raw("GET /v1/vaults HTTP/9.9", List.of(), NONE),
              505,
              "HTTP_VERSION_NOT_SUPPORTED"));
      cases.add(
          new Case(
              "unknown transfer coding" + on,
              port,
              raw("POST /v1/vaults HTTP/1.1", List.of("Transfer-Encoding: foo"), json("{}")),
              400,
              "MALFORMED_REQUEST"));
      cases.add(
          new Case(
              "two content lengths" + on,
              port,
              raw(
                  "POST /v1/vaults HTTP/1.1",
                  List.of("Content-Length: 2", "Content-Length: 3"),
                  json("{}")),
              400,
              "MALFORMED_REQUEST"));
    }
    cases.add(
        new Case(
            "path parameter in the vault segment",
            controlPlane,
            put("/v1/vaults/known;x=1/secrets/a", List.of(), json("{\"value\":\"v\"}")),
            400,
            "MALFORMED_REQUEST"));
    cases.add(
        new Case(
            "path parameter on a host read",
            host,
            raw("GET /v1/vaults/known;x=1/secrets/there HTTP/1.1", List.of(auth()), NONE),
            400,
            "MALFORMED_REQUEST"));
    cases.add(
        new Case(
            "path parameter without a token",
            controlPlane,
            raw("GET /v1/vaults/known/secrets/there;a=b HTTP/1.1", List.of(), NONE),
            400,
            "MALFORMED_REQUEST"));
    cases.add(
        new Case(
            "gzip that is not gzip",
            controlPlane,
            put(SECRET, List.of("Content-Encoding: gzip"), json("{\"value\":\"v\"}")),
            400,
            "MALFORMED_REQUEST"));
    cases.add(
        new Case(
            "gzip that inflates past the body cap",
            controlPlane,
            put(
                SECRET,
                List.of("Content-Encoding: gzip"),
                gzip(json("{\"value\":\"" + "a".repeat(5_000_000) + "\"}"))),
            413,
            "REQUEST_TOO_LARGE"));
    cases.add(
        new Case(
            "a chunked body past the body cap",
            controlPlane,
            put(
                SECRET,
                List.of("Transfer-Encoding: chunked"),
                chunked(json("{\"value\":\"" + "a".repeat(600_000) + "\"}"))),
            413,
            "REQUEST_TOO_LARGE"));
    for (String coding : List.of("br", "deflate", "gzip, gzip", "compress")) {
      cases.add(
          new Case(
              "Content-Encoding: " + coding,
              controlPlane,
              put(SECRET, List.of("Content-Encoding: " + coding), json("{\"value\":\"v\"}")),
              415,
              "UNSUPPORTED_CONTENT_ENCODING"));
    }
    cases.add(
        new Case(
            "invalid chunk size",
            controlPlane,
            put(SECRET, List.of("Transfer-Encoding: chunked"), json("zz\r\n{}\r\n0\r\n\r\n")),
            400,
            "MALFORMED_REQUEST"));
    cases.add(
        new Case(
            "invalid chunk size after a good chunk",
            controlPlane,
            put(
                SECRET,
                List.of("Transfer-Encoding: chunked"),
                json("5\r\n{\"val\r\n-3\r\nue\":\"v\"}\r\n0\r\n\r\n")),
            400,
            "MALFORMED_REQUEST"));
    cases.add(
        new Case(
            "a body shorter than its Content-Length",
            controlPlane,
            put(SECRET, List.of("Content-Length: 100"), json("{\"value\":")),
            400,
            "MALFORMED_REQUEST"));
    cases.add(
        new Case(
            "Accept without JSON",
            controlPlane,
            raw("GET " + SECRET + " HTTP/1.1", List.of(auth(), "Accept: text/plain"), NONE),
            406,
            "NOT_ACCEPTABLE"));
    cases.add(
        new Case(
            "a repeated query parameter",
            host,
            raw("GET " + SECRET + "?version=1&version=2 HTTP/1.1", List.of(auth()), NONE),
            400,
            "MALFORMED_REQUEST"));
    cases.add(
        new Case(
            "an empty version",
            controlPlane,
            raw("GET " + SECRET + "?version= HTTP/1.1", List.of(auth()), NONE),
            400,
            "INVALID_VERSION"));
    cases.add(
        new Case(
            "an invalid shard id",
            controlPlane,
            raw("GET /v1/shards/Shard_1/hosts HTTP/1.1", List.of(auth()), NONE),
            400,
            "INVALID_SHARD"));

    SoftAssertions softly = new SoftAssertions();
    for (Case c : cases) {
      RawHttp.Response response = RawHttp.exchange(c.port(), c.request());
      softly
          .assertThat(response.status())
          .as("%s: %s", c.what(), response.text())
          .isEqualTo(c.status());
      softly
          .assertThat(response.header("Cache-Control"))
          .as("%s: Cache-Control", c.what())
          .isEqualTo("no-store");
      softly
          .assertThat(response.header("Content-Type"))
          .as("%s: Content-Type", c.what())
          .startsWith("application/json");
      if (c.status() == 405) {
        softly.assertThat(response.header("Allow")).as("%s: Allow", c.what()).isNotBlank();
      }
      softly
          .assertThat(response.header("X-Content-Type-Options"))
          .as("%s: nosniff", c.what())
          .isEqualTo("nosniff");
      JsonNode error = response.json().path("error");
      softly.assertThat(error.path("code").asText()).as("%s: code", c.what()).isEqualTo(c.code());
      softly
          .assertThat(error.path("message").asText())
          .as("%s: message", c.what())
          .endsWith(".")
          .doesNotContain("Exception");
      softly
          .assertThat(error.path("errorId").isMissingNode())
          .as("%s: no errorId for a client's error", c.what())
          .isTrue();
      softly
          .assertThat(response.json().size() == 1 && error.size() == 2)
          .as("%s: exactly {error: {code, message}}: %s", c.what(), response.text())
          .isTrue();
    }
    softly.assertAll();
    assertThat(faultsLogged()).as("no client's request is logged as a server fault").isEmpty();
  }

  @Test
  void aGzipBodyIsInflatedAndAnIdentityCodingIsNoCoding() {
    RawHttp.Response put =
        RawHttp.exchange(
            controlPlane,
            put(
                "/v1/vaults/known/secrets/zipped",
                List.of("Content-Encoding: gzip"),
                gzip(json("{\"value\":\"inflated\"}"))));
    assertThat(put.status()).as(put.text()).isEqualTo(201);
    RawHttp.Response get =
        RawHttp.exchange(
            controlPlane,
            raw("GET /v1/vaults/known/secrets/zipped HTTP/1.1", List.of(auth()), NONE));
    assertThat(get.json().path("value").asText()).isEqualTo("inflated");
    RawHttp.Response identity =
        RawHttp.exchange(
            controlPlane,
            put(
                "/v1/vaults/known/secrets/plain",
                List.of("Content-Encoding: identity"),
                json("{\"value\":\"plain\"}")));
    assertThat(identity.status()).as(identity.text()).isEqualTo(201);
  }

  @Test
  void anUnsupportedCodingNamesTheAcceptedOnes() {
    RawHttp.Response response =
        RawHttp.exchange(
            controlPlane, put(SECRET, List.of("Content-Encoding: br"), json("{\"value\":\"v\"}")));
    assertThat(response.header("Accept-Encoding")).isEqualTo("gzip, identity");
  }

  @Test
  void headAnswersTheStatusAndHeadersWithoutABody() {
    RawHttp.Response response =
        RawHttp.exchange(
            controlPlane,
            raw("HEAD /v1/vaults/known/secrets/missing HTTP/1.1", List.of(auth()), NONE));
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.header("Cache-Control")).isEqualTo("no-store");
    assertThat(response.body()).isEmpty();
  }

  /**
   * Responses are never compressed, whatever the client accepts: a read's answer holds a secret
   * next to text the client chose (the names in its path), which is what a compression side channel
   * (BREACH) needs once the connection is encrypted.
   */
  @Test
  void answersAreNeverCompressedEvenWhenTheClientAcceptsGzip() {
    String value = "compressible ".repeat(200);
    CofferHttpClient client = new CofferHttpClient(cluster.adminToken(), true);
    CofferHttpClient.Reply written =
        client.put(
            cluster.controlPlaneUrl() + "/v1/vaults/known/secrets/long",
            CofferHttpClient.valueJson(value));
    assertThat(written.status()).isEqualTo(201);
    String token = written.header("Coffer-Replication-Token");
    for (int port : new int[] {controlPlane, host}) {
      RawHttp.Response response =
          RawHttp.exchange(
              port,
              raw(
                  "GET /v1/vaults/known/secrets/long HTTP/1.1",
                  List.of(
                      auth(),
                      "Accept-Encoding: gzip, deflate",
                      "Coffer-Replication-Token: " + token),
                  NONE));
      assertThat(response.status()).as("port %d", port).isEqualTo(200);
      assertThat(response.header("Content-Encoding")).as("port %d", port).isNull();
      assertThat(response.json().path("value").asText()).as("port %d", port).isEqualTo(value);
    }
  }

  private Case bad(String what, int port, String requestLineStart) {
    return new Case(
        what,
        port,
        raw(requestLineStart + " HTTP/1.1", List.of(auth()), NONE),
        400,
        "MALFORMED_REQUEST");
  }

  private String auth() {
    return "Authorization: Bearer " + cluster.adminToken();
  }

  /** A PUT with a JSON body, the token and (unless the headers give one) its Content-Length. */
  private byte[] put(String path, List<String> extraHeaders, byte[] body) {
    List<String> headers = new ArrayList<>(List.of(auth(), "Content-Type: application/json"));
    headers.addAll(extraHeaders);
    if (extraHeaders.stream()
        .noneMatch(h -> h.startsWith("Content-Length") || h.startsWith("Transfer-Encoding"))) {
      headers.add("Content-Length: " + body.length);
    }
    return RawHttp.request("PUT " + path + " HTTP/1.1", headers, body);
  }

  private static byte[] raw(String requestLine, List<String> headers, byte[] body) {
    List<String> all = new ArrayList<>(headers);
    if (body.length > 0
        && headers.stream()
            .noneMatch(h -> h.startsWith("Content-Length") || h.startsWith("Transfer-Encoding"))) {
      all.add("Content-Length: " + body.length);
    }
    return RawHttp.request(requestLine, all, body);
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] chunked(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int at = 0; at < body.length; at += 8192) {
      int n = Math.min(8192, body.length - at);
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, at, n);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** Lines in the servers' logs that record a request as a server fault. */
  private List<String> faultsLogged() {
    List<String> faults = new ArrayList<>();
    try (var logs = Files.list(cluster.directory().resolve("logs"))) {
      for (Path log : logs.toList()) {
        for (String line : Files.readAllLines(log)) {
          if (line.startsWith("ERROR") && line.contains("errorId=")) {
            faults.add(log.getFileName() + ": " + line);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return faults;
  }
}
