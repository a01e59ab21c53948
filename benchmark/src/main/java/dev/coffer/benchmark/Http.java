package dev.coffer.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * The benchmark's HTTP client. Each answer carries the {@link System#nanoTime()} at which its
 * status line and headers were received, taken before the body is read and parsed, so that parsing
 * on a busy client is not counted as server time.
 *
 * <p>Blocking, on the calling thread, over pooled keep-alive connections (Apache HttpClient's
 * classic API): the client shares the two cores with the deployment it measures, and java.net.http,
 * used before, hands every request between a caller, a selector and an executor thread — about 1 ms
 * of client CPU per request, a quarter of a core during P3.
 */
final class Http implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One answer: status, body, headers and when it arrived. */
  record Answer(int status, String body, Map<String, List<String>> headers, long nanos) {
    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
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
  private final CloseableHttpClient client;
  private final String token;

  /**
   * @param name names the threads of {@link #getAsync}, so a thread dump shows writers and probes
   *     apart
   */
  Http(String name, String token, Duration timeout) {
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, name + "-http");
              t.setDaemon(true);
              return t;
            });
    Timeout answerWithin = Timeout.ofMilliseconds(timeout.toMillis());
    this.client =
        HttpClients.custom()
            .setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(1024)
                    .setMaxConnPerRoute(512)
                    .setDefaultConnectionConfig(
                        ConnectionConfig.custom()
                            .setConnectTimeout(Timeout.ofSeconds(5))
                            .setSocketTimeout(answerWithin)
                            .build())
                    .build())
            .setDefaultRequestConfig(
                RequestConfig.custom().setResponseTimeout(answerWithin).build())
            // Like a plain client: no retries hiding failures, no compression costing both ends
            // CPU on answers of a few hundred bytes, no cookies, no redirects.
            .disableAutomaticRetries()
            .disableContentCompression()
            .disableCookieManagement()
            .disableRedirectHandling()
            .build();
    this.token = token;
  }

  /** The bearer token this client sends, for a load generator that must send the same. */
  String token() {
    return token;
  }

  Answer get(String url) {
    return send(new HttpGet(url), Map.of());
  }

  /** A GET on a thread of this client's own: the caller goes on while the answer is awaited. */
  CompletableFuture<Answer> getAsync(String url, Map<String, String> headers) {
    return CompletableFuture.supplyAsync(() -> send(new HttpGet(url), headers), executor);
  }

  Answer put(String url, String json) {
    HttpPut put = new HttpPut(url);
    put.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
    return send(put, Map.of());
  }

  Answer post(String url, String json) {
    HttpPost post = new HttpPost(url);
    post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
    return send(post, Map.of());
  }

  private Answer send(ClassicHttpRequest request, Map<String, String> headers) {
    if (token != null) {
      request.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }
    headers.forEach(request::setHeader);
    try {
      return client.execute(request, Http::answer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Answer answer(ClassicHttpResponse response) throws IOException {
    long now = System.nanoTime();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Header header : response.getHeaders()) {
      headers.computeIfAbsent(header.getName(), n -> new ArrayList<>(1)).add(header.getValue());
    }
    String body =
        response.getEntity() == null
            ? ""
            : new String(EntityUtils.toByteArray(response.getEntity()), StandardCharsets.UTF_8);
    return new Answer(response.getCode(), body, headers, now);
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
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
      client.close();
    } catch (IOException e) {
      // Closing pooled connections to a deployment that may already be gone: nothing to do.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
