package dev.coffer.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.deployment.CofferHttpClient.Reply;
import dev.coffer.deployment.RawHttp.Request;
import dev.coffer.deployment.RawHttp.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A bad-input suite against real servers: generated and mutated requests over raw sockets at the
 * control plane, a data-plane host and both admin ports, and generated secret values over HTTP.
 * Whatever is sent: no 5xx for a client's mistake, every error parses as the one error format with
 * a code that {@link ErrorCode} defines, under the status {@link ErrorCode#status()} gives, nothing
 * made up in the request is echoed in an error, and every accepted value reads back identical.
 *
 * <p>Bounded: {@code coffer.hostile.requests} requests (default 2,500) and values (default 400), in
 * at most two minutes each. The seed is fixed so a failure reproduces; set {@code
 * coffer.hostile.seed} to explore others.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT {
  private static final long SEED = Long.getLong("coffer.hostile.seed", 20_261_207L);
  private static final int REQUESTS = Integer.getInteger("coffer.hostile.requests", 2_500);
  private static final int VALUES = Integer.getInteger("coffer.hostile.values", 400);
  private static final long BUDGET_NANOS = 120_000_000_000L;
  private static final Set<String> CODES =
      Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.toSet());
  private static final ObjectMapper STRICT =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private LocalCluster cluster;
  private CofferHttpClient client;
  private String controlPlane;
  private LocalCluster.Host host;

  @RegisterExtension static final KnownSecretDeployment DEPLOYMENT = new KnownSecretDeployment();

  @BeforeAll
  void start() {
    cluster = DEPLOYMENT.cluster();
    client = DEPLOYMENT.client();
    controlPlane = cluster.controlPlaneUrl();
    host = DEPLOYMENT.host();
  }

  /** A secret the suite wrote and the value it must read back. */
  record Accepted(String name, int version, String replicationToken, String value) {}

  @Test
  void generatedAndMutatedRequestsGetADocumentedAnswerAndNeverAlterAValue() {
    Random random = new Random(SEED);
    HostileRequests generator = new HostileRequests(random, cluster.adminToken());
    int[] ports = {port(controlPlane), host.port(), controlPlaneAdminPort(), host.adminPort()};
    List<String> violations = new ArrayList<>();
    List<Accepted> accepted = new ArrayList<>();
    Map<String, Integer> byStatus = new TreeMap<>();
    Map<String, Integer> byCode = new TreeMap<>();
    long deadline = System.nanoTime() + BUDGET_NANOS;
    int sent = 0;
    for (; sent < REQUESTS && System.nanoTime() < deadline; sent++) {
      int target = pickTarget(random);
      Request request = target >= 2 ? generator.admin() : generator.wellFormed(target == 1);
      if (sent % 5 != 0) {
        generator.mutate(request);
      }
      byte[] bytes = request.bytes();
      boolean rawMutation = random.nextInt(7) == 0;
      if (rawMutation) {
        bytes = generator.mutateBytes(bytes);
      }
      String what =
          ((rawMutation ? "byte-mutated " : "") + request + " → port " + ports[target])
              .replace(cluster.adminToken(), "<admin token>");
      Response answer = RawHttp.tryExchange(ports[target], bytes);
      byStatus.merge(String.valueOf(answer.status()), 1, Integer::sum);
      String code = check(what, bytes, answer, violations);
      if (code != null) {
        byCode.merge(code, 1, Integer::sum);
      }
      if (!rawMutation && answer.status() == 201 && request.method.equals("PUT")) {
        remember(what, request, answer, violations).ifPresent(accepted::add);
      }
    }
    for (Accepted a : accepted) {
      readBack(a, violations);
    }
    System.out.printf(
        "Hostile requests (seed %d): %d sent, %d accepted values read back; by status %s; by"
            + " code %s%n",
        SEED, sent, accepted.size(), byStatus, byCode);
    assertThat(violations).as("violations (seed %d)", SEED).isEmpty();
    assertThat(sent).as("requests sent within the budget").isGreaterThanOrEqualTo(REQUESTS / 2);
    // The suite must reach the success paths too, or it says nothing about altered values.
    assertThat(accepted).as("accepted writes").isNotEmpty();
  }

  @Test
  void everyGeneratedValueIsReadBackIdenticalOrRefusedWithItsCode() {
    Random random = new Random(SEED + 1);
    List<String> violations = new ArrayList<>();
    Map<String, Integer> outcomes = new TreeMap<>();
    long deadline = System.nanoTime() + BUDGET_NANOS;
    int tried = 0;
    for (; tried < VALUES && System.nanoTime() < deadline; tried++) {
      String value = GeneratedValues.next(random);
      String name = "v" + tried;
      Reply put = client.put(secretUrl(controlPlane, name), GeneratedValues.json(value, random));
      String expected = GeneratedValues.expectedCode(value);
      String outcome = put.status() + " " + (put.status() == 201 ? "" : put.errorCode());
      outcomes.merge(outcome.trim(), 1, Integer::sum);
      String what = "value " + GeneratedValues.describe(value);
      if (expected == null) {
        if (put.status() != 201) {
          violations.add(what + ": refused with " + put.body());
          continue;
        }
        readBack(
            new Accepted(
                name,
                put.json().path("version").asInt(),
                put.header("Coffer-Replication-Token"),
                value),
            violations);
      } else if (!expected.equals(put.errorCode())
          || put.status() != ErrorCode.valueOf(expected).status()) {
        violations.add(
            what + ": expected " + expected + ", got " + put.status() + " " + put.body());
      }
    }
    System.out.printf("Generated values (seed %d): %d tried; %s%n", SEED + 1, tried, outcomes);
    assertThat(violations).as("violations (seed %d)", SEED + 1).isEmpty();
    assertThat(outcomes).as("both outcomes were exercised").containsKey("201");
    assertThat(outcomes.keySet()).anyMatch(o -> o.startsWith("400"));
  }

  /**
   * Checks one answer and returns its error code, if any. Adds a sentence per broken rule.
   *
   * <p>A 505 is a documented answer (the HTTP version is not one Coffer speaks), not a fault.
   */
  private String check(String what, byte[] bytes, Response answer, List<String> violations) {
    if (!answer.answered()) {
      violations.add(what + ": " + answer.failure());
      return null;
    }
    String body = answer.text();
    if (body.contains(cluster.adminToken())) {
      violations.add(what + ": the answer contains the admin token");
    }
    if (answer.status() < 400) {
      return null;
    }
    boolean head =
        new String(bytes, 0, Math.min(5, bytes.length), StandardCharsets.ISO_8859_1)
            .startsWith("HEAD ");
    if (head && body.isEmpty()) {
      return null; // a HEAD answer has no body by definition
    }
    String code = null;
    try {
      JsonNode json = STRICT.readTree(body);
      JsonNode error = json == null ? null : json.get("error");
      if (error == null || json.size() != 1 || !error.path("code").isTextual()) {
        violations.add(what + ": " + answer.status() + " not in the error format: " + brief(body));
        return null;
      }
      code = error.path("code").asText();
      String message = error.path("message").asText("");
      if (!CODES.contains(code)) {
        violations.add(what + ": undocumented code " + code);
      } else if (ErrorCode.valueOf(code).status() != answer.status()) {
        violations.add(what + ": " + code + " sent with status " + answer.status());
      }
      if (answer.status() >= 500 && answer.status() != 505) {
        violations.add(what + ": server error " + answer.status() + " " + brief(body));
      }
      if (message.isBlank()
          || message.contains(HostileRequests.marker())
          || message.contains("Exception")
          || message.contains("\tat ")) {
        violations.add(what + ": the message echoes input or a fault: " + brief(message));
      }
      String contentType = answer.header("Content-Type");
      if (contentType == null || !contentType.startsWith("application/json")) {
        violations.add(what + ": error with Content-Type " + contentType);
      }
      String cache = answer.header("Cache-Control");
      if (cache == null || !cache.contains("no-store")) {
        violations.add(what + ": error without Cache-Control: no-store");
      }
    } catch (IOException notJson) {
      violations.add(what + ": " + answer.status() + " body is not JSON: " + brief(body));
    }
    return code;
  }

  /** The value a 201 to a put stored, from what was sent (inflated, if it was gzip). */
  private java.util.Optional<Accepted> remember(
      String what, Request request, Response answer, List<String> violations) {
    try {
      JsonNode reply = STRICT.readTree(answer.body());
      byte[] sent = request.body;
      String encoding =
          request.headers.stream()
              .filter(h -> h[0].equalsIgnoreCase("Content-Encoding"))
              .map(h -> h[1])
              .findFirst()
              .orElse("");
      if (encoding.equals("gzip")) {
        sent = new GZIPInputStream(new ByteArrayInputStream(sent)).readAllBytes();
      }
      JsonNode body = STRICT.readTree(sent);
      if (body == null || !body.path("value").isTextual() || body.size() != 1) {
        violations.add(what + ": accepted a body that is not exactly {\"value\": text}");
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(
          new Accepted(
              reply.path("name").asText(),
              reply.path("version").asInt(),
              answer.header("Coffer-Replication-Token"),
              body.path("value").asText()));
    } catch (IOException e) {
      violations.add(what + ": accepted a body strict JSON refuses (" + e.getClass() + ")");
      return java.util.Optional.empty();
    }
  }

  private void readBack(Accepted a, List<String> violations) {
    String path = "/v1/vaults/" + HostileRequests.KNOWN_VAULT + "/secrets/" + a.name();
    List<Reply> reads =
        List.of(
            client.get(controlPlane + path + "?version=" + a.version()),
            client.get(host.url() + path + "?version=" + a.version(), a.replicationToken()));
    for (Reply read : reads) {
      if (read.status() != 200 || !a.value().equals(read.json().path("value").asText(null))) {
        violations.add(
            "read back of "
                + a.name()
                + " v"
                + a.version()
                + " ("
                + GeneratedValues.describe(a.value())
                + "): "
                + read.status()
                + " "
                + brief(read.body()));
      }
    }
  }

  /** Mostly the API ports; the admin ports get a share too. */
  private static int pickTarget(Random random) {
    int n = random.nextInt(20);
    return n < 9 ? 0 : n < 16 ? 1 : n < 18 ? 2 : 3;
  }

  private static String secretUrl(String base, String name) {
    return base + "/v1/vaults/" + HostileRequests.KNOWN_VAULT + "/secrets/" + name;
  }

  /** The control plane's admin port, as its configuration file sets it. */
  private int controlPlaneAdminPort() {
    try {
      JsonNode config =
          new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
              .readTree(
                  cluster.directory().resolve("config").resolve("control-plane.yml").toFile());
      return config.path("server").path("adminConnectors").path(0).path("port").asInt();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int port(String url) {
    return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
  }

  private static String brief(String s) {
    return Request.abbreviate(s);
  }
}
