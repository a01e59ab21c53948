package dev.coffer.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.core.model.LogPosition;
import dev.coffer.deployment.LocalCluster;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Collects every host's own append → apply time of every event it applied, from its admin port's
 * {@code GET /replication/apply-times} (open, as the port is loopback only), a page at a time from
 * where the last collection ended. A host remembers its last few thousand events, so the phase
 * collects every second or so; a request per host and second instead of a read per host and write,
 * which loaded the machine being measured.
 */
final class ApplyTimesCollector {
  private static final int PAGE = 1000;

  private final Http http;
  private final Map<String, Cursor> cursors = new HashMap<>();

  ApplyTimesCollector(Http http, List<LocalCluster.Host> hosts) {
    this.http = http;
    for (LocalCluster.Host host : hosts) {
      cursors.put(host.id(), new Cursor(host));
    }
  }

  /** What one host has told so far. */
  private static final class Cursor {
    final LocalCluster.Host host;
    final Map<LogPosition, Long> micros = new HashMap<>();
    String after;
    long failures;

    Cursor(LocalCluster.Host host) {
      this.host = host;
    }
  }

  /**
   * Fetches what each host applied since the last call. A host that cannot answer now is asked
   * again next time; its failures are counted, not fatal.
   */
  synchronized void collect() {
    for (Cursor cursor : cursors.values()) {
      try {
        while (true) {
          String url =
              "http://127.0.0.1:"
                  + cursor.host.adminPort()
                  + "/replication/apply-times?limit="
                  + PAGE;
          if (cursor.after != null) {
            url += "&after=" + cursor.after;
          }
          Http.Answer answer = http.get(url);
          if (answer.status() != 200) {
            cursor.failures++;
            break;
          }
          JsonNode page = answer.json();
          String last = null;
          for (JsonNode event : page.path("events")) {
            LogPosition position = LogPosition.parse(event.path("position").asText());
            cursor.micros.put(position, event.path("appendedToAppliedMicros").asLong());
            last = page.path("shard").asText() + ":" + position;
          }
          if (last != null) {
            cursor.after = last;
          }
          if (page.path("next").isNull() || page.path("next").isMissingNode()) {
            break;
          }
        }
      } catch (RuntimeException e) {
        cursor.failures++;
      }
    }
  }

  /** The host's append → apply time of the event at {@code position}, if it told one. */
  synchronized OptionalLong micros(String host, LogPosition position) {
    Long micros = cursors.get(host).micros.get(position);
    return micros == null ? OptionalLong.empty() : OptionalLong.of(micros);
  }

  /** Requests that failed, over all hosts. */
  synchronized long failures() {
    return cursors.values().stream().mapToLong(c -> c.failures).sum();
  }
}
