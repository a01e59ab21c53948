package dev.coffer.core.event;

import dev.coffer.core.model.LogPosition;

/** An event as read from the log, with its position. */
public record PositionedEvent(LogPosition position, ReplicationEvent event) {}
