package dev.coffer.benchmark;

import dev.coffer.deployment.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What PostgreSQL's own maintenance did on each shard's server during a phase: autovacuum and
 * autoanalyze runs per table (from {@code pg_stat_user_tables}, counted before and after) and the
 * latest checkpoint's start (from {@code pg_control_checkpoint()}). Earlier runs showed bursts of
 * lag as autovacuum workers started; this puts them on the phase's clock. Statistics reach the
 * views when the worker reports them, so a run that ends right at the phase's end may be missed.
 */
final class ShardMaintenance {
  private static final String TABLES =
      "SELECT relname || ' ' || autovacuum_count || ' ' || autoanalyze_count || ' '"
          + " || coalesce(extract(epoch FROM last_autovacuum)::text, '-') || ' '"
          + " || coalesce(extract(epoch FROM last_autoanalyze)::text, '-')"
          + " FROM pg_stat_user_tables";

  private static final String CHECKPOINT =
      "SELECT extract(epoch FROM checkpoint_time)::text FROM pg_control_checkpoint()";

  private final LocalCluster cluster;
  private final List<String> shards;
  private final Instant start;
  private final Map<String, Map<String, TableCounts>> before = new LinkedHashMap<>();

  private ShardMaintenance(LocalCluster cluster, List<String> shards) {
    this.cluster = cluster;
    this.shards = shards;
    for (String shard : shards) {
      before.put(shard, tables(shard));
    }
    this.start = Instant.now();
  }

  /** Counts as of now; {@link #since} reports what happened after. */
  static ShardMaintenance begin(LocalCluster cluster, List<String> shards) {
    return new ShardMaintenance(cluster, shards);
  }

  /** Maintenance runs since {@link #begin}, each with the time of the last one of its kind. */
  List<Results.Maintenance> since() {
    List<Results.Maintenance> out = new ArrayList<>();
    for (String shard : shards) {
      Map<String, TableCounts> then = before.getOrDefault(shard, Map.of());
      Map<String, TableCounts> current = tables(shard);
      if (then.isEmpty() || current.isEmpty()) {
        // A shard store always has tables: the statistics could not be read, which is not "none".
        out.add(new Results.Maintenance(shard, "unreadable", null, 0, null));
        continue;
      }
      current.forEach(
          (table, now) -> {
            TableCounts old = then.getOrDefault(table, TableCounts.NONE);
            addRuns(
                out,
                shard,
                "autovacuum",
                table,
                now.autovacuums() - old.autovacuums(),
                now.lastAutovacuum());
            addRuns(
                out,
                shard,
                "autoanalyze",
                table,
                now.autoanalyzes() - old.autoanalyzes(),
                now.lastAutoanalyze());
          });
      Double checkpoint = epoch(firstRow(shard, CHECKPOINT));
      Double into = secondsIntoPhase(checkpoint);
      if (into != null && into >= 0) {
        out.add(new Results.Maintenance(shard, "checkpoint", null, 1, into));
      }
    }
    return out;
  }

  private void addRuns(
      List<Results.Maintenance> out,
      String shard,
      String what,
      String table,
      long runs,
      Double lastEpochSeconds) {
    if (runs > 0) {
      out.add(
          new Results.Maintenance(shard, what, table, runs, secondsIntoPhase(lastEpochSeconds)));
    }
  }

  private Double secondsIntoPhase(Double epochSeconds) {
    if (epochSeconds == null) {
      return null;
    }
    double startSeconds = start.getEpochSecond() + start.getNano() / 1e9;
    return Math.round((epochSeconds - startSeconds) * 10) / 10.0;
  }

  private record TableCounts(
      long autovacuums, long autoanalyzes, Double lastAutovacuum, Double lastAutoanalyze) {
    static final TableCounts NONE = new TableCounts(0, 0, null, null);
  }

  private Map<String, TableCounts> tables(String shard) {
    Map<String, TableCounts> out = new LinkedHashMap<>();
    for (String row : rows(shard, TABLES)) {
      String[] f = row.split(" ", -1);
      if (f.length == 5) {
        out.put(
            f[0],
            new TableCounts(Long.parseLong(f[1]), Long.parseLong(f[2]), epoch(f[3]), epoch(f[4])));
      }
    }
    return out;
  }

  private static Double epoch(String text) {
    if (text == null || text.equals("-")) {
      return null;
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private String firstRow(String shard, String sql) {
    List<String> rows = rows(shard, sql);
    return rows.isEmpty() ? null : rows.get(0);
  }

  /** The query's text rows, or none when the server will not answer it (the phase goes on). */
  private List<String> rows(String shard, String sql) {
    try {
      return cluster.queryShardStore(shard, sql).stream()
          .map(bytes -> bytes == null ? "-" : new String(bytes, StandardCharsets.UTF_8))
          .toList();
    } catch (RuntimeException e) {
      return List.of();
    }
  }
}
