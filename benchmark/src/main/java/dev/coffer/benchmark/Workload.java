package dev.coffer.benchmark;

import dev.coffer.core.model.ShardId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/** The vaults and secrets the benchmark writes, and the values it writes. */
final class Workload {
  /** A vault and the shard the control plane placed it on. */
  record Vault(String name, ShardId shard) {}

  /** One write's target. */
  record Target(Vault vault, String secret) {
    String path() {
      return "/v1/vaults/" + vault.name() + "/secrets/" + secret;
    }
  }

  private final List<Vault> vaults;
  private final int secretsPerVault;
  private final String padding;

  private Workload(List<Vault> vaults, int secretsPerVault, int valueBytes) {
    this.vaults = List.copyOf(vaults);
    this.secretsPerVault = secretsPerVault;
    this.padding = "x".repeat(Math.max(0, valueBytes));
    if (this.vaults.isEmpty()) {
      throw new IllegalArgumentException("no vaults");
    }
  }

  /**
   * Creates {@code vaultsPerShard} vaults on every shard. Placement is the control plane's choice
   * (fewest vaults first), so the benchmark asks for as many as it needs and reads where each went.
   */
  static Workload create(
      Http http,
      String controlPlane,
      int shards,
      int vaultsPerShard,
      int secretsPerVault,
      int bytes) {
    List<Vault> vaults = new ArrayList<>();
    for (int i = 1; i <= shards * vaultsPerShard; i++) {
      String name = "bench-" + i;
      Http.Answer answer = http.post(controlPlane + "/v1/vaults", Http.json(Map.of("name", name)));
      if (answer.status() != 201) {
        throw new IllegalStateException(
            "creating vault " + name + " answered HTTP " + answer.status() + ": " + answer.body());
      }
      vaults.add(new Vault(name, ShardId.of(answer.json().path("shard").asText())));
    }
    Workload workload = new Workload(vaults, secretsPerVault, bytes);
    if (workload.shards().size() != shards) {
      throw new IllegalStateException(
          "vaults landed on " + workload.shards() + ", expected " + shards + " shards");
    }
    return workload;
  }

  List<Vault> vaults() {
    return vaults;
  }

  List<ShardId> shards() {
    return vaults.stream()
        .map(Vault::shard)
        .distinct()
        .sorted(Comparator.comparing(ShardId::value))
        .toList();
  }

  Map<ShardId, List<Vault>> byShard() {
    Map<ShardId, List<Vault>> out = new TreeMap<>(Comparator.comparing(ShardId::value));
    vaults.forEach(v -> out.computeIfAbsent(v.shard(), s -> new ArrayList<>()).add(v));
    return out;
  }

  /** Random rather than round-robin, so that sampling every n-th write samples every vault. */
  Target next(List<Vault> among) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    Vault vault = among.get(random.nextInt(among.size()));
    return new Target(vault, "s-" + random.nextInt(secretsPerVault));
  }

  /** A body of the configured size; the counter keeps consecutive versions distinct. */
  String body(long counter) {
    String prefix = "v" + counter + "-";
    String value =
        prefix.length() >= padding.length()
            ? prefix
            : prefix + padding.substring(0, padding.length() - prefix.length());
    return "{\"value\":\"" + value + "\"}";
  }
}
