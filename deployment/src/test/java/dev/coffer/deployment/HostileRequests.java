package dev.coffer.deployment;

import dev.coffer.deployment.RawHttp.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

/**
 * Generates requests against Coffer's servers: a well-formed request of the API, then one to three
 * mutations of its method, target, version, headers or body, or of its raw bytes. Every name and
 * value it makes up contains a marker ({@link #marker()}), so an answer that echoes input is seen.
 */
final class HostileRequests {
  static final String KNOWN_VAULT = KnownSecretDeployment.VAULT;
  static final String KNOWN_SECRET = KnownSecretDeployment.SECRET;

  private static final List<String> METHODS =
      List.of(
          "GET",
          "PUT",
          "POST",
          "DELETE",
          "HEAD",
          "OPTIONS",
          "TRACE",
          "PATCH",
          "CONNECT",
          "FOO",
          "PROPFIND",
          "get",
          "G\tET",
          "",
          "GET\u0000");
  private static final List<String> PATH_INSERTS =
      List.of(
          "%2F",
          "%2f", "%2E%2E", "/..", "/.", "\\", "%5C", "%00", "%", "%zz", "%FF", ";x=1", ";", "//",
          "%20", " ", "\u00e9", "%C3%A9", "*", "%u0041", "~", "%0D%0A", "\t", "#frag", "%3B",
          "..%2F", "%252F");
  private static final List<String> QUERIES =
      List.of(
          "stage=",
          "stage=current",
          "stage=CURRENT&stage=PENDING",
          "stage=%20CURRENT",
          "stage=PREVIOUS",
          "version=",
          "version=-1",
          "version=0",
          "version=99999999999999999999",
          "version=1&stage=CURRENT",
          "version=1.5",
          "limit=0",
          "limit=abc",
          "limit=1001",
          "limit=-5",
          "after=%00",
          "after=%2F",
          "after=",
          "%=",
          "&&&",
          "version=1&version=2",
          "after=shard-1:1.1",
          "after=shard-9:1.1",
          "after=garbage",
          "stage=PENDING");
  private static final List<String> VERSIONS =
      List.of(
          "HTTP/1.0", "HTTP/0.9", "HTTP/9.9", "HTTP/2.0", "HTTP/1.1x", "http/1.1", "HTTP/1", "");
  private static final List<String> CONTENT_TYPES =
      List.of(
          "text/plain",
          "application/json; charset=ISO-8859-1",
          "application/json;charset=UTF-16",
          "garbage",
          "application/xml",
          "multipart/form-data; boundary=x",
          "*/*",
          "",
          "application/json; charset=utf-8");
  private static final List<String> ENCODINGS =
      List.of("gzip", "deflate", "br", "compress", "gzip, gzip", "identity", "x-unknown", "");

  private final Random random;
  private final String token;
  private int sequence;

  HostileRequests(Random random, String token) {
    this.random = random;
    this.token = token;
  }

  /** The marker every made-up name and value carries; no error answer may contain it. */
  static String marker() {
    return "qz7";
  }

  String freshName() {
    return marker() + HexFormat.of().toHexDigits(sequence++).replaceFirst("^0+(?=.)", "");
  }

  /** A well-formed request for the control plane ({@code host == false}) or a data-plane host. */
  Request wellFormed(boolean host) {
    String vault = random.nextInt(4) == 0 ? freshName() : KNOWN_VAULT;
    String secret = random.nextInt(3) == 0 ? KNOWN_SECRET : freshName();
    String secrets = "/v1/vaults/" + vault + "/secrets";
    Request request =
        switch (random.nextInt(host ? 4 : 11)) {
          case 0 -> new Request("GET", secrets + "/" + secret);
          case 1 -> new Request("GET", secrets);
          case 2 -> new Request("GET", secrets + "/" + secret + "?version=1");
          case 3 ->
              new Request("GET", secrets + "/" + secret + (host ? "?stage=PREVIOUS" : "/state"));
          case 4 -> json(new Request("PUT", secrets + "/" + secret), valueJson(freshValue()));
          case 5 -> json(new Request("POST", "/v1/vaults"), "{\"name\":\"" + freshName() + "\"}");
          case 6 -> new Request("POST", secrets + "/" + secret + "/promote?version=1");
          case 7 -> new Request("DELETE", secrets + "/" + freshName());
          case 8 -> new Request("GET", "/v1/vaults/" + vault);
          case 9 -> new Request("GET", secrets + "/" + secret + "/versions/1/state");
          default -> new Request("GET", random.nextBoolean() ? "/v1/shards" : "/v1/vaults/x/keys");
        };
    return request.header("Host", "127.0.0.1").header("Authorization", "Bearer " + token);
  }

  /** A well-formed request for an admin port. */
  Request admin() {
    List<String> paths =
        List.of(
            "/healthcheck",
            "/metrics",
            "/ping",
            "/threads",
            "/pprof",
            "/tasks/log-level",
            "/tasks/gc",
            "/",
            "/healthcheck?pretty=true",
            "/replication/apply-times",
            "/replication/apply-times?limit=2");
    String method = random.nextInt(3) == 0 ? "POST" : "GET";
    return new Request(method, paths.get(random.nextInt(paths.size()))).header("Host", "127.0.0.1");
  }

  /** One to three mutations, each of a different kind. */
  Request mutate(Request request) {
    int mutations = 1 + random.nextInt(3);
    for (int i = 0; i < mutations; i++) {
      pick(List.<Consumer<Request>>of(
              this::mutateMethod,
              this::mutatePath,
              this::mutatePath,
              this::mutateQuery,
              this::mutateVersion,
              this::mutateHeaders,
              this::mutateHeaders,
              this::mutateBody,
              this::mutateBody,
              this::mutateEncoding,
              this::mutateFraming))
          .accept(request);
    }
    return request;
  }

  /** A byte-level mutation of a whole request's head: flipped, inserted or dropped bytes. */
  byte[] mutateBytes(byte[] request) {
    int headEnd = indexOf(request, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    if (headEnd <= 0) {
      return request;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = random.nextInt(headEnd);
    out.write(request, 0, at);
    switch (random.nextInt(3)) {
      case 0 -> {
        out.write(request[at] ^ (1 << random.nextInt(8)));
        at++;
      }
      case 1 -> out.write(random.nextInt(256));
      default -> at++;
    }
    out.write(request, at, request.length - at);
    return out.toByteArray();
  }

  private void mutateMethod(Request r) {
    r.method = pick(METHODS);
  }

  private void mutatePath(Request r) {
    switch (random.nextInt(4)) {
      case 0 -> {
        int at = random.nextInt(r.target.length() + 1);
        r.target = r.target.substring(0, at) + pick(PATH_INSERTS) + r.target.substring(at);
      }
      case 1 -> r.target = r.target.replace(KNOWN_VAULT, KNOWN_VAULT + pick(PATH_INSERTS));
      case 2 -> r.target = r.target + "/" + marker() + "x".repeat(pick(List.of(1, 300, 9_000)));
      default -> r.target = r.target.replace("/v1/", pick(List.of("/V1/", "/v2/", "v1/", "//v1/")));
    }
  }

  private void mutateQuery(Request r) {
    r.target = r.target + (r.target.contains("?") ? "&" : "?") + pick(QUERIES);
  }

  private void mutateVersion(Request r) {
    r.version = pick(VERSIONS);
  }

  private void mutateHeaders(Request r) {
    switch (random.nextInt(12)) {
      case 0 -> r.withoutHeader("Authorization");
      case 1 -> r.withoutHeader("Authorization").header("Authorization", "Bearer wrong" + marker());
      case 2 -> r.withoutHeader("Authorization").header("Authorization", "Basic " + marker());
      case 3 -> r.header("Authorization", "Bearer " + token);
      case 4 -> r.withoutHeader("Host");
      case 5 -> r.header("X-Padding", marker() + "p".repeat(pick(List.of(9_000, 20_000, 70_000))));
      case 6 -> r.header("X-Control", "a\u0000b" + marker());
      case 7 -> r.header("Bad Name", marker());
      case 8 -> r.header("Expect", pick(List.of("100-continue", "teapot")));
      case 9 -> r.header("Accept", pick(List.of("text/html", "application/xml", "*/*", "")));
      case 10 ->
          r.header(
              "Coffer-Replication-Token", pick(List.of("garbage", "shard-9:1.1", "", marker())));
      default -> {
        r.withoutHeader("Content-Type");
        r.header("Content-Type", pick(CONTENT_TYPES));
      }
    }
  }

  private void mutateBody(Request r) {
    String body =
        switch (random.nextInt(16)) {
          case 0 -> "";
          case 1 -> "{\"value\":";
          case 2 -> "{\"value\":\"\\ud800" + marker() + "\"}";
          case 3 -> "{\"value\":\"\\udc00\\ud800" + marker() + "\"}";
          case 4 -> "{\"value\":5}";
          case 5 -> "{\"value\":null}";
          case 6 -> "{\"value\":[\"" + marker() + "\"]}";
          case 7 -> "{\"value\":\"" + marker() + "\",\"other\":1}";
          case 8 -> "{\"value\":\"" + marker() + "\",\"value\":\"b\"}";
          case 9 -> "[".repeat(5_000);
          case 10 -> "{\"value\":\"" + marker() + "\"} trailing";
          case 11 -> "{\"value\":\"" + "y".repeat(65_537) + "\"}";
          case 12 -> "{\"value\":\"" + marker() + "\\u0000\"}";
          case 13 -> "{\"name\":\"" + marker() + "-\"}";
          case 14 -> "{\"value\":\"" + "z".repeat(600_000) + "\"}";
          default -> null;
        };
    if (body == null) {
      // Invalid UTF-8 inside a JSON string: a lone continuation byte, an overlong '/', 0xFF.
      byte[][] invalid = {{(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xFF}, {(byte) 0xC3}};
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(("{\"value\":\"" + marker()).getBytes(StandardCharsets.UTF_8));
      out.writeBytes(invalid[random.nextInt(invalid.length)]);
      out.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
      r.body = out.toByteArray();
    } else {
      r.body = body.getBytes(StandardCharsets.UTF_8);
    }
    if (r.headers.stream().noneMatch(h -> h[0].equalsIgnoreCase("Content-Type"))) {
      r.header("Content-Type", "application/json");
    }
  }

  private void mutateEncoding(Request r) {
    String encoding = pick(ENCODINGS);
    r.header("Content-Encoding", encoding);
    if (encoding.equals("gzip") && random.nextBoolean()) {
      // A real gzip stream: of the body as it is, or a small bomb that inflates past the cap.
      r.body = gzip(random.nextBoolean() ? r.body : new byte[4 * 1024 * 1024]);
    } else if (encoding.equals("gzip")) {
      r.body = ("not gzip " + marker()).getBytes(StandardCharsets.UTF_8);
    }
  }

  private void mutateFraming(Request r) {
    byte[] body = r.body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : r.body;
    r.framed = true;
    r.withoutHeader("Content-Length").withoutHeader("Transfer-Encoding");
    switch (random.nextInt(7)) {
      case 0 -> {
        r.header("Transfer-Encoding", "chunked");
        r.body = chunked(body, Integer.toHexString(body.length));
      }
      case 1 -> {
        r.header("Transfer-Encoding", "chunked");
        r.body =
            chunked(body, pick(List.of("zz", "-1", "FFFFFFFFFFFFFFFFFF", " ", "1;" + marker())));
      }
      case 2 -> {
        r.header("Content-Length", String.valueOf(body.length + 10));
        r.body = body; // ends early: the server sees the end of the stream first
      }
      case 3 -> {
        r.header("Content-Length", String.valueOf(Math.max(0, body.length - 1)));
        r.body = body;
      }
      case 4 -> {
        r.header("Content-Length", pick(List.of("-1", "abc", "1e3", "99999999999999999999")));
        r.body = body;
      }
      case 5 -> {
        r.header("Content-Length", String.valueOf(body.length));
        r.header("Content-Length", String.valueOf(body.length + 1));
        r.body = body;
      }
      default -> {
        r.header("Transfer-Encoding", pick(List.of("gzip", "chunked, identity", "x")));
        r.header("Content-Length", String.valueOf(body.length));
        r.body = body;
      }
    }
  }

  /** A value of a few characters with the marker; names and values are safe to print. */
  String freshValue() {
    return marker() + "-value-" + random.nextInt(1_000_000);
  }

  static String valueJson(String value) {
    return CofferHttpClient.valueJson(value);
  }

  private static Request json(Request request, String body) {
    request.body = body.getBytes(StandardCharsets.UTF_8);
    return request.header("Content-Type", "application/json");
  }

  private static byte[] chunked(byte[] body, String sizeLine) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes((sizeLine + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body);
    out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }
}
