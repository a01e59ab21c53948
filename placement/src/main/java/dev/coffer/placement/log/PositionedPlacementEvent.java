package dev.coffer.placement.log;

import dev.coffer.core.model.LogPosition;
import java.time.Instant;

/**
 * A placement event as read from the base store's log, with its position and when it was appended
 * (for lag metrics only).
 */
public record PositionedPlacementEvent(
    LogPosition position, PlacementEvent event, Instant appendedAt) {}
