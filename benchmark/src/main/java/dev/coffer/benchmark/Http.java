package dev.coffer.benchmark;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The benchmark's HTTP client. Each answer carries the {@link System#nanoTime()} at which it was
 * received, taken before the body is parsed, so that parsing on a busy client is not counted as
 * server time.
 */
final class Http implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One answer: status, body, headers and when it arrived. */
  record Answer(int status, String body, Map<String, java.util.List<String>> headers, long nanos) {
    String header(String name) {
      for (Map.Entry<String, java.util.List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON (HTTP " + status + ")", e);
      }
    }
  }

  private final ExecutorService executor;
  private final HttpClient client;
  private final String token;
  private final Duration timeout;

  /**
   * @param name names the client's threads, so a thread dump shows writers and probes apart
   */
  Http(String name, String token, Duration timeout) {
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, name + "-http");
              t.setDaemon(true);
              return t;
            });
    // HTTP/1.1 outright: with the default the client offers an h2c upgrade on every new connection.
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(executor)
            .build();
    this.token = token;
    this.timeout = timeout;
  }

  /** The bearer token this client sends, for a load generator that must send the same. */
  String token() {
    return token;
  }

  Answer get(String url) {
    return send(request(url).GET());
  }

  CompletableFuture<Answer> getAsync(String url, Map<String, String> headers) {
    HttpRequest.Builder request = request(url).GET();
    headers.forEach(request::header);
    return client
        .sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(Http::answer);
  }

  Answer put(String url, String json) {
    return send(
        request(url)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  Answer post(String url, String json) {
    return send(
        request(url)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private HttpRequest.Builder request(String url) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private Answer send(HttpRequest.Builder request) {
    try {
      return answer(client.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static Answer answer(HttpResponse<String> response) {
    long now = System.nanoTime();
    return new Answer(response.statusCode(), response.body(), response.headers().map(), now);
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
