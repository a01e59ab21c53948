package dev.coffer.core.storage;

import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.event.SecretDeleted;
import dev.coffer.core.event.SecretStagesChanged;
import dev.coffer.core.event.SecretVersionPut;
import dev.coffer.core.event.VaultCreated;
import java.util.List;
import java.util.Objects;

/** Checks shared by every {@link ReplicaStore} implementation. */
public final class ReplicaBatches {
  private ReplicaBatches() {}

  /**
   * The checks every replica store makes before touching anything: no null parts, entity versions
   * and secret versions at least 1. Version numbers must be positive because stores order them as
   * unsigned bytes; entity versions because 0 means "none seen". Checking the whole batch first
   * means a store's mutation loop cannot fail halfway on bad input.
   *
   * @throws NullPointerException or IllegalArgumentException naming the first bad part
   */
  public static void validate(List<PositionedEvent> batch) {
    Objects.requireNonNull(batch, "batch");
    for (PositionedEvent positioned : batch) {
      Objects.requireNonNull(positioned, "batch element");
      Objects.requireNonNull(positioned.position(), "position");
      ReplicationEvent event = Objects.requireNonNull(positioned.event(), "event");
      Objects.requireNonNull(event.vault(), "vault");
      if (event.entityVersion() < 1) {
        throw new IllegalArgumentException("entity versions start at 1: " + event.entity());
      }
      if (event instanceof VaultCreated e) {
        Objects.requireNonNull(e.keys(), "keys");
        Objects.requireNonNull(e.createdAt(), "createdAt");
      } else if (event instanceof SecretVersionPut e) {
        Objects.requireNonNull(e.secret(), "secret");
        Objects.requireNonNull(e.createdAt(), "createdAt");
        Objects.requireNonNull(e.sealed(), "sealed");
        Objects.requireNonNull(e.stages(), "stages");
        if (e.version() < 1) {
          throw new IllegalArgumentException("secret versions start at 1: " + e.entity());
        }
      } else if (event instanceof SecretStagesChanged e) {
        Objects.requireNonNull(e.secret(), "secret");
        Objects.requireNonNull(e.stages(), "stages");
        Objects.requireNonNull(e.changedAt(), "changedAt");
      } else if (event instanceof SecretDeleted e) {
        Objects.requireNonNull(e.secret(), "secret");
      }
    }
  }
}
