package dev.coffer.core.audit;

import java.time.Instant;

/** A recorded key operation: its place in the trail, when it was recorded, and what it was. */
public record KeyAuditRecord(long sequence, Instant recordedAt, KeyAuditEntry entry) {}
