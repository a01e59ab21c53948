package dev.coffer.deployment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.coffer.dataplane.DataPlaneConfiguration.ReadAccessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes the Dropwizard configuration files of a local deployment. */
final class ClusterConfigWriter {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Where a database is. */
  record Database(String jdbcUrl, String user, String password) {}

  private final Credentials credentials;
  private final DevRootOfTrust rootOfTrust;

  ClusterConfigWriter(Credentials credentials, Path directory) {
    this.credentials = credentials;
    this.rootOfTrust = DevRootOfTrust.prepare(directory, credentials);
  }

  /** The environment every server process needs for its root key providers. */
  java.util.Map<String, String> environment() {
    return rootOfTrust.environment();
  }

  void writeControlPlane(
      Path file, int port, int adminPort, Database base, Map<String, Database> shards) {
    Map<String, Object> config = common(port, adminPort);
    config.put("baseStore", dataSource(base));
    // Routers reach every server on the loopback interface of this machine.
    config.put(
        "instance",
        Map.of("id", "control-plane-1", "advertisedEndpoint", "http://127.0.0.1:" + port));
    config.put(
        "shards",
        shards.entrySet().stream()
            .map(e -> Map.of("id", e.getKey(), "database", dataSource(e.getValue())))
            .toList());
    write(file, config);
    // The servers need the root keys and the recovery key to exist; creating them is the
    // operators' commands' job, so the deployment runs those against this configuration.
    rootOfTrust.initialise(file);
  }

  void writeDataPlane(
      Path file,
      int port,
      int adminPort,
      String shard,
      String hostId,
      Database shardStore,
      Path replicaDirectory,
      ReadAccessor readAccessor) {
    Map<String, Object> config = common(port, adminPort);
    config.put("shard", shard);
    config.put("hostId", hostId);
    config.put("advertisedEndpoint", "http://127.0.0.1:" + port);
    config.put("shardStore", dataSource(shardStore));
    config.put("readAccessor", configured(readAccessor));
    config.put("replicaDirectory", replicaDirectory.toString());
    write(file, config);
  }

  /**
   * The router: it reads only the base store (placements, cells and control planes come from its
   * log) and listens on loopback, where plain HTTP is allowed.
   */
  void writeRouter(Path file, int port, int adminPort, Database base) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(
        "server",
        Map.of(
            "type",
            "default",
            "applicationConnectors",
            List.of(),
            "adminConnectors",
            List.of(Map.of("type", "http", "bindHost", "127.0.0.1", "port", adminPort))));
    config.put(
        "logging",
        Map.of(
            "level", "INFO",
            "loggers", Map.of("org.eclipse.jetty", "WARN"),
            "appenders", List.of(Map.of("type", "console"))));
    config.put("auth", Map.of("adminToken", credentials.adminToken()));
    config.put("baseStore", dataSource(base));
    config.put("listen", Map.of("host", "127.0.0.1", "port", port));
    // Quick to notice a host that is gone, for a deployment on one machine.
    config.put("upstreamHealth", Map.of("probeInterval", "500ms"));
    config.put("routingData", Map.of("pollInterval", "200ms"));
    write(file, config);
  }

  /**
   * The value of {@code readAccessor} in a host's configuration file: {@code local} or {@code
   * remote}.
   */
  static String configured(ReadAccessor accessor) {
    return accessor.name().toLowerCase(Locale.ROOT);
  }

  private Map<String, Object> common(int port, int adminPort) {
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
            "loggers", Map.of("org.flywaydb", "WARN", "org.eclipse.jetty", "WARN"),
            "appenders", List.of(Map.of("type", "console"))));
    config.put("auth", Map.of("adminToken", credentials.adminToken()));
    config.put("rootOfTrust", rootOfTrust.config());
    return config;
  }

  private static Map<String, Object> dataSource(Database database) {
    Map<String, Object> dataSource = new LinkedHashMap<>();
    dataSource.put("driverClass", "org.postgresql.Driver");
    dataSource.put("url", database.jdbcUrl());
    dataSource.put("user", database.user());
    dataSource.put("password", database.password());
    dataSource.put("initialSize", 1);
    dataSource.put("minSize", 1);
    dataSource.put("maxSize", 32);
    dataSource.put("checkConnectionOnBorrow", true);
    dataSource.put("maxWaitForConnection", "5s");
    return dataSource;
  }

  /** Owner-only: these files hold the admin token and the keystore passphrase. */
  private static void write(Path file, Map<String, Object> config) {
    try {
      OwnerOnly.directory(file.getParent());
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      YAML.writeValue(file.toFile(), config);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }
}
