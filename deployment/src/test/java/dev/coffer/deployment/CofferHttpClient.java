package dev.coffer.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small real HTTP client for end-to-end tests. */
final class CofferHttpClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A response: status, parsed JSON body (or null) and the raw text. */
  record Reply(
      int status, JsonNode json, String body, Map<String, java.util.List<String>> headers) {
    String errorCode() {
      return json == null ? null : json.path("error").path("code").asText(null);
    }

    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  private final HttpClient http = newHttpClient();
  private final String token;
  private final boolean freshConnections;

  CofferHttpClient(String token) {
    this(token, false);
  }

  /**
   * @param freshConnections one connection per request: after rejecting a request whose body it did
   *     not read, a server may close the connection, and a pooled connection reused at that moment
   *     fails without an answer (HTTP clients retry only idempotent requests)
   */
  CofferHttpClient(String token, boolean freshConnections) {
    this.token = token;
    this.freshConnections = freshConnections;
  }

  private static HttpClient newHttpClient() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  Reply get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET(), token);
  }

  /** A read that presents a write's replication token. */
  Reply get(String url, String replicationToken) {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Coffer-Replication-Token", replicationToken)
            .GET(),
        token);
  }

  Reply put(String url, String jsonBody) {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(jsonBody)),
        token);
  }

  Reply post(String url, String jsonBody) {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(jsonBody)),
        token);
  }

  Reply delete(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).DELETE(), token);
  }

  Reply send(HttpRequest.Builder request, String bearer) {
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    try {
      HttpClient client = freshConnections ? newHttpClient() : http;
      HttpResponse<String> response =
          client.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      if (!response.body().isEmpty()) {
        try {
          json = JSON.readTree(response.body());
        } catch (IOException notJson) {
          json = null;
        }
      }
      return new Reply(response.statusCode(), json, response.body(), response.headers().map());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String valueJson(String value) {
    try {
      return JSON.writeValueAsString(Map.of("value", value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
