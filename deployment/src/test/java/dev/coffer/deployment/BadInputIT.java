package dev.coffer.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.deployment.CofferHttpClient.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every documented rejection answers its documented status and stable code with a sentence, against
 * real servers; and no malformed request, of any kind tried here, produces a 5xx.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {
  private LocalCluster cluster;
  private CofferHttpClient client;
  private String cp;
  private String host;

  @RegisterExtension static final KnownSecretDeployment DEPLOYMENT = new KnownSecretDeployment();

  @BeforeAll
  void start() {
    cluster = DEPLOYMENT.cluster();
    client = DEPLOYMENT.client();
    cp = cluster.controlPlaneUrl();
    host = DEPLOYMENT.host().url();
  }

  record Case(String what, Reply reply, int status, String code) {}

  @Test
  void documentedRejections() {
    String big = "x".repeat(65_537);
    String tooBigBody = "{\"value\":\"" + "y".repeat(600_000) + "\"}";
    String secrets = cp + "/v1/vaults/known/secrets/";
    List<Case> cases = new ArrayList<>();
    cases.add(
        new Case("no token", send("GET", secrets + "there", null, null), 401, "UNAUTHENTICATED"));
    cases.add(
        new Case(
            "wrong token",
            send("GET", secrets + "there", null, "not-the-token-at-all"),
            401,
            "UNAUTHENTICATED"));
    cases.add(
        new Case(
            "no token on a host",
            send("GET", host + "/v1/vaults/known/secrets/there", null, null),
            401,
            "UNAUTHENTICATED"));
    cases.add(
        new Case(
            "no token, unknown path",
            send("GET", cp + "/v1/nothing", null, null),
            401,
            "UNAUTHENTICATED"));
    cases.add(
        new Case(
            "malformed JSON", client.put(secrets + "a", "{\"value\":"), 400, "MALFORMED_REQUEST"));
    cases.add(
        new Case("not an object", client.put(secrets + "a", "[1,2]"), 400, "MALFORMED_REQUEST"));
    cases.add(
        new Case(
            "number as value",
            client.put(secrets + "a", "{\"value\":5}"),
            400,
            "MALFORMED_REQUEST"));
    cases.add(
        new Case(
            "unknown field",
            client.put(secrets + "a", "{\"value\":\"v\",\"vale\":1}"),
            400,
            "MALFORMED_REQUEST"));
    cases.add(new Case("missing value", client.put(secrets + "a", "{}"), 400, "MALFORMED_REQUEST"));
    cases.add(new Case("empty body", client.put(secrets + "a", ""), 400, "MALFORMED_REQUEST"));
    cases.add(
        new Case(
            "empty value",
            client.put(secrets + "a", "{\"value\":\"\"}"),
            400,
            "INVALID_SECRET_VALUE"));
    cases.add(
        new Case(
            "value over 64 KiB",
            client.put(secrets + "a", CofferHttpClient.valueJson(big)),
            413,
            "SECRET_VALUE_TOO_LARGE"));
    // Declared too large: rejected from the headers alone, before the body is read.
    Reply tooBig = declareBody(cp, "/v1/vaults/known/secrets/a", tooBigBody.length());
    cases.add(new Case("body over the cap", tooBig, 413, "REQUEST_TOO_LARGE"));
    cases.add(
        new Case(
            "invalid secret name",
            client.put(secrets + "-leading-dash", "{\"value\":\"v\"}"),
            400,
            "INVALID_SECRET_NAME"));
    cases.add(
        new Case(
            "secret name too long",
            client.put(secrets + "a".repeat(256), "{\"value\":\"v\"}"),
            400,
            "INVALID_SECRET_NAME"));
    cases.add(
        new Case(
            "invalid vault name",
            client.put(cp + "/v1/vaults/Known/secrets/a", "{\"value\":\"v\"}"),
            400,
            "INVALID_VAULT_NAME"));
    cases.add(
        new Case(
            "invalid vault to create",
            client.post(cp + "/v1/vaults", "{\"name\":\"UPPER\"}"),
            400,
            "INVALID_VAULT_NAME"));
    cases.add(
        new Case(
            "vault name missing", client.post(cp + "/v1/vaults", "{}"), 400, "MALFORMED_REQUEST"));
    cases.add(
        new Case(
            "duplicate vault",
            client.post(cp + "/v1/vaults", "{\"name\":\"known\"}"),
            409,
            "VAULT_ALREADY_EXISTS"));
    cases.add(
        new Case(
            "unknown vault",
            client.put(cp + "/v1/vaults/unknown/secrets/a", "{\"value\":\"v\"}"),
            404,
            "VAULT_NOT_FOUND"));
    cases.add(
        new Case(
            "unknown vault, read", client.get(cp + "/v1/vaults/unknown"), 404, "VAULT_NOT_FOUND"));
    cases.add(new Case("unknown secret", client.get(secrets + "missing"), 404, "SECRET_NOT_FOUND"));
    cases.add(
        new Case(
            "unknown secret, delete", client.delete(secrets + "missing"), 404, "SECRET_NOT_FOUND"));
    cases.add(
        new Case(
            "unknown version", client.get(secrets + "there?version=99"), 404, "VERSION_NOT_FOUND"));
    cases.add(
        new Case(
            "version not a number",
            client.get(secrets + "there?version=abc"),
            400,
            "INVALID_VERSION"));
    cases.add(
        new Case("version zero", client.get(secrets + "there?version=0"), 400, "INVALID_VERSION"));
    cases.add(
        new Case(
            "limit too big",
            client.get(cp + "/v1/vaults/known/secrets?limit=5000"),
            400,
            "MALFORMED_REQUEST"));
    cases.add(
        new Case(
            "audit trail: negative after",
            client.get(cp + "/v1/audit/key-operations?after=-1"),
            400,
            "MALFORMED_REQUEST"));
    cases.add(
        new Case(
            "audit trail: limit zero",
            client.get(cp + "/v1/audit/key-operations?limit=0"),
            400,
            "MALFORMED_REQUEST"));
    cases.add(
        new Case(
            "bad after",
            client.get(cp + "/v1/vaults/known/secrets?after=%2F"),
            400,
            "INVALID_SECRET_NAME"));
    cases.add(
        new Case(
            "unknown secret on a host",
            client.get(host + "/v1/vaults/known/secrets/missing"),
            404,
            "SECRET_NOT_FOUND"));
    cases.add(
        new Case(
            "unknown version on a host",
            client.get(host + "/v1/vaults/known/secrets/there?version=7"),
            404,
            "VERSION_NOT_FOUND"));
    cases.add(
        new Case(
            "bad version on a host",
            client.get(host + "/v1/vaults/known/secrets/there?version=-1"),
            400,
            "INVALID_VERSION"));
    cases.add(
        new Case(
            "unknown vault on a host",
            client.get(host + "/v1/vaults/unknown/secrets"),
            404,
            "VAULT_NOT_FOUND"));
    cases.add(new Case("unknown path", client.get(cp + "/v2/anything"), 404, "NOT_FOUND"));
    cases.add(
        new Case(
            "writes are not served by hosts",
            client.put(host + "/v1/vaults/known/secrets/there", "{\"value\":\"v\"}"),
            405,
            "METHOD_NOT_ALLOWED"));
    cases.add(
        new Case(
            "wrong method",
            send("PATCH", secrets + "there", "{}", cluster.adminToken()),
            405,
            "METHOD_NOT_ALLOWED"));
    cases.add(
        new Case(
            "wrong media type",
            sendTyped("PUT", secrets + "a", "value", "text/plain"),
            415,
            "UNSUPPORTED_MEDIA_TYPE"));
    cases.add(
        new Case(
            "encoded slash in a name", client.get(secrets + "a%2Fb"), 400, "MALFORMED_REQUEST"));
    cases.add(new Case("dot segments", client.get(secrets + "%2E%2E"), 400, null));

    // Version stages
    cases.add(
        new Case(
            "put into PREVIOUS",
            client.put(secrets + "a?stage=PREVIOUS", "{\"value\":\"v\"}"),
            400,
            "INVALID_STAGE"));
    cases.add(
        new Case(
            "lower-case stage",
            client.put(secrets + "a?stage=pending", "{\"value\":\"v\"}"),
            400,
            "INVALID_STAGE"));
    cases.add(
        new Case(
            "unknown stage on a read",
            client.get(secrets + "there?stage=NEXT"),
            400,
            "INVALID_STAGE"));
    cases.add(
        new Case(
            "unknown stage on a host",
            client.get(host + "/v1/vaults/known/secrets/there?stage=AWSCURRENT"),
            400,
            "INVALID_STAGE"));
    cases.add(
        new Case(
            "stage and version",
            client.get(secrets + "there?stage=CURRENT&version=1"),
            400,
            "MALFORMED_REQUEST"));
    cases.add(
        new Case(
            "stage and version on a host",
            client.get(host + "/v1/vaults/known/secrets/there?stage=CURRENT&version=1"),
            400,
            "MALFORMED_REQUEST"));
    cases.add(
        new Case(
            "promote without a version",
            client.post(secrets + "there/promote", ""),
            400,
            "INVALID_VERSION"));
    cases.add(
        new Case(
            "promote a non-number",
            client.post(secrets + "there/promote?version=latest", ""),
            400,
            "INVALID_VERSION"));
    cases.add(
        new Case(
            "promote a missing version",
            client.post(secrets + "there/promote?version=9", ""),
            404,
            "VERSION_NOT_FOUND"));
    cases.add(
        new Case(
            "promote a missing secret",
            client.post(secrets + "missing/promote?version=1", ""),
            404,
            "SECRET_NOT_FOUND"));
    cases.add(
        new Case(
            "promote in a missing vault",
            client.post(cp + "/v1/vaults/unknown/secrets/there/promote?version=1", ""),
            404,
            "VAULT_NOT_FOUND"));
    cases.add(
        new Case(
            "only a PENDING version",
            client.get(secrets + "rotating"),
            404,
            "NO_VERSION_IN_STAGE"));
    cases.add(
        new Case(
            "only a PENDING version, on a host",
            client.get(host + "/v1/vaults/known/secrets/rotating"),
            404,
            "NO_VERSION_IN_STAGE"));
    cases.add(
        new Case(
            "no PREVIOUS version yet",
            client.get(secrets + "there?stage=PREVIOUS"),
            404,
            "NO_VERSION_IN_STAGE"));

    for (Case c : cases) {
      assertThat(c.reply().status()).as("%s: %s", c.what(), c.reply().body()).isEqualTo(c.status());
      if (c.code() != null) {
        assertThat(c.reply().errorCode())
            .as("%s: %s", c.what(), c.reply().body())
            .isEqualTo(c.code());
        assertThat(c.reply().json().path("error").path("message").asText())
            .as("%s has a sentence", c.what())
            .endsWith(".")
            .doesNotContain("Exception")
            .doesNotContain("\tat ");
      }
      assertThat(c.reply().header("Cache-Control")).as(c.what()).contains("no-store");
    }
  }

  @Test
  void noMalformedRequestCausesAServerError() {
    String[] paths = {
      "/",
      "/v1",
      "/v1/vaults/",
      "/v1/vaults//secrets",
      "/v1/vaults/known/secrets/",
      "/v1/vaults/known/secrets/there/extra",
      "/v1/vaults/%00/secrets/a",
      "/v1/vaults/known/secrets/%FF",
      "/v1/vaults/known/secrets/a?version=99999999999999999999",
      "/v1/vaults/known/secrets?limit=-1",
      "/v1/vaults/known/secrets?after=" + "z".repeat(300),
      "/v1/vaults/" + "v".repeat(100)
    };
    String[] bodies = {
      "",
      "null",
      "\"text\"",
      "{\"value\":null}",
      "{\"value\":{}}",
      "{\"value\":true}",
      "{\"value\":\"\\ud800\"}",
      "{\"value\":\"ok\"} trailing",
      "{\"name\":\"n\",\"name\":\"m\"}",
      "\u0000",
      "{".repeat(10_000)
    };
    for (String base : List.of(cp, host)) {
      for (String path : paths) {
        for (String method : List.of("GET", "PUT", "POST", "DELETE")) {
          for (String body :
              method.equals("GET") || method.equals("DELETE") ? new String[] {""} : bodies) {
            Reply reply;
            try {
              reply = send(method, base + path, body, cluster.adminToken());
            } catch (RuntimeException e) {
              throw new AssertionError(
                  method + " " + base + path + " with " + abbreviate(body) + " got no answer", e);
            }
            assertThat(reply.status())
                .as("%s %s%s with %s: %s", method, base, path, abbreviate(body), reply.body())
                .isBetween(200, 499);
          }
        }
      }
    }
  }

  private Reply send(String method, String url, String body, String token) {
    return sendWith(method, url, body, token, "application/json");
  }

  private Reply sendTyped(String method, String url, String body, String contentType) {
    return sendWith(method, url, body, cluster.adminToken(), contentType);
  }

  private Reply sendWith(String method, String url, String body, String token, String contentType) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null && !body.isEmpty()) {
      request.header("Content-Type", contentType);
    }
    return client.send(request, token);
  }

  /** Sends only the headers of a PUT that declares {@code length} bytes, then reads the answer. */
  private Reply declareBody(String base, String path, int length) {
    URI uri = URI.create(base);
    try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(30_000);
      String head =
          "PUT "
              + path
              + " HTTP/1.1\r\nHost: "
              + uri.getHost()
              + "\r\nAuthorization: Bearer "
              + cluster.adminToken()
              + "\r\nContent-Type: application/json\r\nContent-Length: "
              + length
              + "\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String response =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      int status = Integer.parseInt(response.substring(9, 12));
      String body = response.substring(response.indexOf("\r\n\r\n") + 4);
      java.util.Map<String, List<String>> headers = new java.util.HashMap<>();
      for (String line : response.substring(0, response.indexOf("\r\n\r\n")).split("\r\n", -1)) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          headers.put(line.substring(0, colon).trim(), List.of(line.substring(colon + 1).trim()));
        }
      }
      return new Reply(
          status, new com.fasterxml.jackson.databind.ObjectMapper().readTree(body), body, headers);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
