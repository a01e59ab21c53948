package dev.coffer.dataplane.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.logging.common.BootstrapLogging;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The servlet's translation of pages and refusals to HTTP; the pages are ApplyTimesPagesTest's. */
class ApplyTimesServletTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static Server server;
  private static String base;

  static {
    BootstrapLogging.bootstrap();
  }

  @BeforeAll
  static void start() throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(
        new ServletHolder(new ApplyTimesServlet(ApplyTimesPagesTest.fiveEvents())),
        ApplyTimesServlet.PATH);
    server.setHandler(context);
    server.start();
    base = "http://127.0.0.1:" + connector.getLocalPort() + ApplyTimesServlet.PATH;
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
  }

  private static HttpResponse<String> get(String query) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(base + query)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aPageIsJsonWithTheFieldsTheBenchmarkReads() throws Exception {
    HttpResponse<String> response = get("?after=shard-1:22.0&limit=1");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonNode page = JSON.readTree(response.body());
    assertThat(page.path("shard").asText()).isEqualTo("shard-1");
    assertThat(page.path("events").get(0).path("position").asText()).isEqualTo("23.0");
    assertThat(page.path("events").get(0).path("appendedToAppliedMicros").asLong())
        .isEqualTo(3_007);
    assertThat(page.path("next").asText()).isEqualTo("shard-1:23.0");

    JsonNode last = JSON.readTree(get("?after=shard-1:23.0").body());
    assertThat(last.has("next")).isTrue();
    assertThat(last.path("next").isNull()).isTrue();
  }

  @Test
  void refusalsAreCofferErrorsWithTheirCodes() throws Exception {
    assertRefused("?after=shard-2:22.0", "INVALID_REPLICATION_TOKEN");
    assertRefused("?limit=many", "MALFORMED_REQUEST");
    assertRefused("?limit=1&limit=2", "MALFORMED_REQUEST");
  }

  private static void assertRefused(String query, String code) throws Exception {
    HttpResponse<String> response = get(query);

    assertThat(response.statusCode()).as(query).isEqualTo(400);
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(JSON.readTree(response.body()).path("error").path("code").asText())
        .as(query)
        .isEqualTo(code);
  }
}
