package dev.coffer.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.coffer.benchmark.bare.BareEndpointApplication;
import dev.coffer.deployment.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link BareEndpointApplication} as its own process, configured as the deployment's hosts are
 * (connectors, logging, request log, JVM options), so that the only difference from a host is what
 * the resource does.
 */
final class BareEndpoint implements AutoCloseable {
  private final ServiceProcess process;
  private final int port;

  private BareEndpoint(ServiceProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  static BareEndpoint start(
      Path directory, String adminToken, int valueBytes, List<String> jvmOptions) {
    int port = freePort();
    int adminPort = freePort();
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(
        "server",
        Map.of(
            "type", "default",
            "applicationConnectors",
                List.of(Map.of("type", "http", "bindHost", "127.0.0.1", "port", port)),
            "adminConnectors",
                List.of(Map.of("type", "http", "bindHost", "127.0.0.1", "port", adminPort))));
    config.put(
        "logging",
        Map.of(
            "level", "INFO",
            "loggers", Map.of("org.eclipse.jetty", "WARN"),
            "appenders", List.of(Map.of("type", "console"))));
    config.put("auth", Map.of("adminToken", adminToken));
    config.put("valueBytes", valueBytes);
    Path file = directory.resolve("config").resolve("bare-endpoint.yml");
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      new ObjectMapper(new YAMLFactory()).writeValue(file.toFile(), config);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
    ServiceProcess process =
        new ServiceProcess(
            "bare-endpoint",
            BareEndpointApplication.class.getName(),
            file,
            directory.resolve("logs").resolve("bare-endpoint.log"),
            URI.create("http://127.0.0.1:" + adminPort + "/healthcheck"),
            null,
            jvmOptions);
    process.start();
    try {
      process.awaitHealthy(Duration.ofSeconds(90));
    } catch (RuntimeException e) {
      process.stop();
      throw e;
    }
    return new BareEndpoint(process, port);
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  @Override
  public void close() {
    process.stop();
  }
}
