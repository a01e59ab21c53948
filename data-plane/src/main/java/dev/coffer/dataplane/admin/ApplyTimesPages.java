package dev.coffer.dataplane.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.core.api.QueryParams;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.ReplicationToken;
import dev.coffer.core.model.ShardId;
import dev.coffer.dataplane.read.ApplyTimes;
import dev.coffer.dataplane.read.Tokens;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How long the events this host applied recently took from their append to the shard's log to their
 * apply here, a page at a time in log order. The per-write figure a read with a token gets in
 * {@code Server-Timing}, for every write at the cost of one request per page: what the benchmark
 * measures replication lag with, without loading the hosts with a read per write.
 */
public final class ApplyTimesPages {
  private final ShardId shard;
  private final ApplyTimes applyTimes;

  public ApplyTimesPages(ShardId shard, ApplyTimes applyTimes) {
    this.shard = shard;
    this.applyTimes = applyTimes;
  }

  /**
   * @param after a replication token of this shard: only events after its position; null for every
   *     event this host remembers
   * @param limit the most events in the page, as a list's {@code limit}; null for the default
   * @throws dev.coffer.core.error.CofferException {@code INVALID_REPLICATION_TOKEN} for an {@code
   *     after} that is malformed or of another shard, {@code MALFORMED_REQUEST} for a bad limit
   */
  public Page page(String after, String limit) {
    int max = QueryParams.limit(limit);
    LogPosition from =
        after == null
            ? LogPosition.ZERO
            : Tokens.positionOn(shard, Optional.of(ReplicationToken.parse(after))).orElseThrow();
    List<ApplyTimes.Applied> applied = applyTimes.after(from, max);
    List<Event> events =
        applied.stream()
            .map(
                a ->
                    new Event(
                        a.position().toString(),
                        TimeUnit.NANOSECONDS.toMicros(a.appendedToApplied().toNanos())))
            .toList();
    String next =
        applied.size() < max
            ? null
            : new ReplicationToken(shard, applied.get(applied.size() - 1).position()).toString();
    return new Page(shard.value(), events, next);
  }

  /**
   * @param next the {@code after} of the next page; null when this page holds all there was
   */
  public record Page(
      @JsonProperty("shard") String shard,
      @JsonProperty("events") List<Event> events,
      @JsonProperty("next") String next) {}

  /** One event: its log position ({@code txId.seq}) and append → apply in microseconds. */
  public record Event(
      @JsonProperty("position") String position,
      @JsonProperty("appendedToAppliedMicros") long appendedToAppliedMicros) {}
}
