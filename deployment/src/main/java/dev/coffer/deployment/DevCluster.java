package dev.coffer.deployment;

import dev.coffer.dataplane.DataPlaneConfiguration.ReadAccessor;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The README's first command: a complete local deployment, until Ctrl-C. */
@Command(
    name = "coffer-dev",
    mixinStandardHelpOptions = true,
    description =
        "Starts a local Coffer deployment: PostgreSQL (base store and one server per shard), the"
            + " control plane, and the data-plane hosts of every shard. Data survives restarts. A"
            + " process that dies is reported at once, with its log, and restarted.")
public final class DevCluster implements Callable<Integer> {
  @Option(
      names = "--data-dir",
      defaultValue = ".coffer-dev",
      description = "Where data, configuration and logs live (default: ${DEFAULT-VALUE}).")
  private Path dataDirectory;

  @Option(
      names = "--base-port",
      defaultValue = "8400",
      description =
          "Control plane on this port, hosts from +10, PostgreSQL from +50 (default:"
              + " ${DEFAULT-VALUE}).")
  private int basePort;

  @Option(
      names = "--shards",
      defaultValue = "2",
      description = "Shards (default: ${DEFAULT-VALUE}).")
  private int shards;

  @Option(
      names = "--hosts-per-shard",
      defaultValue = "2",
      description = "Data-plane hosts in each shard's cell (default: ${DEFAULT-VALUE}).")
  private int hostsPerShard;

  public static void main(String[] args) {
    System.exit(new CommandLine(new DevCluster()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    System.out.println("Starting Coffer in " + dataDirectory.toAbsolutePath().normalize() + " ...");
    LocalCluster.Options options =
        new LocalCluster.Options(
                dataDirectory,
                basePort,
                shards,
                hostsPerShard,
                ReadAccessor.LOCAL,
                List.of("-Xmx384m"))
            .withSupervision(
                Supervisor.Policy.on(line -> System.out.println("coffer-dev: " + line)));
    LocalCluster cluster = LocalCluster.start(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("\nStopping Coffer ...");
                  cluster.close();
                  System.out.println("Stopped; data kept in " + cluster.directory() + ".");
                  stopped.countDown();
                },
                "coffer-dev-shutdown"));
    System.out.println(usage(cluster));
    stopped.await();
    return 0;
  }

  static String usage(LocalCluster cluster) {
    String router = cluster.routerUrl();
    StringBuilder out = new StringBuilder();
    out.append("\nCoffer is running. Stop it with Ctrl-C.\n\n");
    out.append("  Router (the one endpoint):      ").append(router).append('\n');
    out.append("  Control plane (writes, admin):  ").append(cluster.controlPlaneUrl()).append('\n');
    cluster.hosts().stream()
        .collect(
            Collectors.groupingBy(
                h -> h.shard().value(), java.util.TreeMap::new, Collectors.toList()))
        .forEach(
            (shard, hosts) ->
                out.append("  ")
                    .append(shard)
                    .append(" hosts (reads):       ")
                    .append(
                        hosts.stream()
                            .map(LocalCluster.Host::url)
                            .collect(Collectors.joining("  ")))
                    .append('\n'));
    out.append("  Data, configuration, logs:      ").append(cluster.directory()).append('\n');
    out.append("  Admin token:                    ").append(cluster.adminToken()).append('\n');
    out.append("  Supervision:                    a server or PostgreSQL process that dies is")
        .append(" reported here and restarted\n");
    out.append("  Vault keys wrapped by:          ");
    out.append(
        String.join(
            "\n                                  ", DevRootOfTrust.summary(cluster.directory())));
    out.append(
        "\n  Key commands:                   bin/coffer-keys keys-status --verify   (also keys-rewrap,"
            + " root-rotate --key-id ID,\n                                  recovery-restore --share"
            + " FILE ..., vault-key-rotate --vault V, vault-key-status --vault V,\n"
            + "                                  vault-key-destroy --vault V --version N;"
            + " set COFFER_DATA_DIR for another --data-dir)\n\n");
    out.append("Try it:\n");
    out.append("  export COFFER_TOKEN='").append(cluster.adminToken()).append("'\n");
    out.append("  curl -s -X POST ")
        .append(router)
        .append("/v1/vaults -H \"Authorization: Bearer $COFFER_TOKEN\"")
        .append(" -H 'Content-Type: application/json' -d '{\"name\":\"payments\"}'\n");
    out.append("  curl -s -X PUT ")
        .append(router)
        .append(
            "/v1/vaults/payments/secrets/db-password -H \"Authorization: Bearer $COFFER_TOKEN\"")
        .append(" -H 'Content-Type: application/json' -d '{\"value\":\"correct horse\"}'\n");
    out.append(
        "  # read it back: the router sends it to a host of the vault's shard (Coffer-Served-By):\n");
    out.append("  curl -si ")
        .append(router)
        .append(
            "/v1/vaults/payments/secrets/db-password -H \"Authorization: Bearer $COFFER_TOKEN\"\n");
    out.append("  # rotate the vault key; old data keys are rewrapped in the background:\n");
    out.append("  curl -s -X POST ")
        .append(router)
        .append("/v1/vaults/payments/keys/rotate -H \"Authorization: Bearer $COFFER_TOKEN\"\n");
    return out.toString();
  }
}
