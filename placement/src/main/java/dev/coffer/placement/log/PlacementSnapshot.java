package dev.coffer.placement.log;

import dev.coffer.core.model.LogPosition;
import java.util.List;

/**
 * The base store's whole routing state at a log position: every shard, placement, cell host and
 * control plane as the event that would set it. A replica that starts, or fell behind the log's
 * truncation, takes it in place of everything it held, then tails from {@code position}.
 */
public record PlacementSnapshot(LogPosition position, List<PlacementEvent> state) {
  public PlacementSnapshot {
    state = List.copyOf(state);
  }
}
