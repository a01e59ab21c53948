package dev.coffer.testkit.storage;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretStage;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.ReplicaStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * Random shard histories and random deliveries of them, for convergence properties.
 *
 * <p>A history is what the shard committed: puts (CURRENT or PENDING), promotions and deletes on a
 * few secrets whose names and vaults are prefixes of one another, each with the next entity version
 * of its entity, versions numbered as the shard numbers them (after the highest ever given, deletes
 * included), and each put or promotion carrying the stage map the shard computed. A delivery is
 * what a replica might receive: the same events permuted, some repeated, cut into batches.
 */
public final class ReplicaHistories {
  public static final List<String> VAULTS = List.of("a", "a-b");
  public static final List<String> SECRETS = List.of("x", "x.y", "x-y", "b-x");

  /**
   * One mutation of the history; which entity it touches is an index into the universe, and {@code
   * pick} chooses which live version a promotion names.
   */
  public record Op(Kind kind, int vault, int secret, int pick) {}

  public enum Kind {
    PUT,
    PUT_PENDING,
    /**
     * Names a live version (possibly the CURRENT one); on a secret without one, nothing happens.
     */
    PROMOTE,
    DELETE,
    /** A vault event with a higher entity version, e.g. a re-keyed vault. */
    VAULT
  }

  private ReplicaHistories() {}

  /** Histories of up to maxSize operations; they shrink towards fewer and earlier-listed ones. */
  public static Gen<List<Op>> ops(int maxSize) {
    Gen<Kind> kinds =
        Generate.frequency(
            Pair.of(5, Generate.constant(Kind.PUT)),
            Pair.of(2, Generate.constant(Kind.PUT_PENDING)),
            Pair.of(3, Generate.constant(Kind.PROMOTE)),
            Pair.of(2, Generate.constant(Kind.DELETE)),
            Pair.of(1, Generate.constant(Kind.VAULT)));
    Gen<Op> ops =
        kinds.zip(
            Generate.range(0, VAULTS.size() - 1),
            Generate.range(0, SECRETS.size() - 1),
            Generate.range(0, 100),
            Op::new);
    return SourceDSL.lists().of(ops).ofSizeBetween(0, maxSize);
  }

  /** The events of a history, in commit order (which is entity-version order per entity). */
  public static List<ReplicationEvent> events(List<Op> ops) {
    Map<String, Long> entityVersions = new HashMap<>();
    Map<String, Long> versions = new HashMap<>();
    Map<String, StageMap> stages = new HashMap<>();
    Map<String, List<Long>> live = new HashMap<>();
    List<ReplicationEvent> events = new ArrayList<>();
    for (String vault : VAULTS) {
      events.add(ReplicaEvents.vaultCreated(vault, next(entityVersions, vault)));
    }
    for (Op op : ops) {
      String vault = VAULTS.get(op.vault());
      String secret = SECRETS.get(op.secret());
      String entity = vault + "/" + secret;
      StageMap before = stages.getOrDefault(entity, StageMap.NONE);
      List<Long> liveVersions = live.computeIfAbsent(entity, e -> new ArrayList<>());
      switch (op.kind()) {
        case PUT, PUT_PENDING -> {
          long version = next(versions, entity);
          StageMap after =
              before.afterPut(
                  version, op.kind() == Kind.PUT ? SecretStage.CURRENT : SecretStage.PENDING);
          stages.put(entity, after);
          liveVersions.add(version);
          events.add(
              ReplicaEvents.put(vault, secret, next(entityVersions, entity), version, after));
        }
        case PROMOTE -> {
          if (!liveVersions.isEmpty()) {
            StageMap after = before.afterPromote(liveVersions.get(op.pick() % liveVersions.size()));
            stages.put(entity, after);
            events.add(
                ReplicaEvents.stagesChanged(vault, secret, next(entityVersions, entity), after));
          }
        }
        case DELETE -> {
          stages.put(entity, StageMap.NONE);
          liveVersions.clear();
          events.add(ReplicaEvents.deleted(vault, secret, next(entityVersions, entity)));
        }
        case VAULT -> events.add(ReplicaEvents.vaultCreated(vault, next(entityVersions, vault)));
      }
    }
    return events;
  }

  /** Each event in its own batch, in commit order: the delivery every other must agree with. */
  public static List<List<PositionedEvent>> inOrder(List<ReplicationEvent> events) {
    List<List<PositionedEvent>> batches = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      batches.add(List.of(new PositionedEvent(new LogPosition(i + 1, 0), events.get(i))));
    }
    return batches;
  }

  /**
   * The events, each keeping its log position, roughly a quarter of them twice, shuffled and cut
   * into batches of 1 to 5.
   */
  public static List<List<PositionedEvent>> scrambled(
      List<ReplicationEvent> events, Random random) {
    List<PositionedEvent> delivered = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      PositionedEvent positioned = new PositionedEvent(new LogPosition(i + 1, 0), events.get(i));
      delivered.add(positioned);
      if (random.nextInt(4) == 0) {
        delivered.add(positioned);
      }
    }
    Collections.shuffle(delivered, random);
    List<List<PositionedEvent>> batches = new ArrayList<>();
    int start = 0;
    while (start < delivered.size()) {
      int end = Math.min(delivered.size(), start + 1 + random.nextInt(5));
      batches.add(List.copyOf(delivered.subList(start, end)));
      start = end;
    }
    return batches;
  }

  public static void applyAll(ReplicaStore store, List<List<PositionedEvent>> batches) {
    for (List<PositionedEvent> batch : batches) {
      store.apply(batch);
    }
  }

  /** Everything observable about the universe's names, versions up to the history's length. */
  public static ObservableState observe(ReplicaStore store, List<ReplicationEvent> events) {
    return ObservableState.capture(
        store,
        VAULTS.stream().map(VaultName::of).toList(),
        SECRETS.stream().map(SecretName::of).toList(),
        events.size());
  }

  private static long next(Map<String, Long> counters, String key) {
    return counters.merge(key, 1L, Long::sum);
  }
}
