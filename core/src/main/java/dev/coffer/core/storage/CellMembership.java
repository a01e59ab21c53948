package dev.coffer.core.storage;

import dev.coffer.core.model.Endpoint;
import dev.coffer.core.model.HostId;
import dev.coffer.core.model.LogPosition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The hosts of a shard's cell, the positions they report, and the promotion of versions to ACTIVE
 * once every member has applied them.
 */
public interface CellMembership {
  /** A host's standing in its cell. */
  enum HostState {
    /** Registered, still catching up with what is already ACTIVE: does not hold activation back. */
    JOINING,
    /** Counts for activation. */
    MEMBER
  }

  /**
   * What the cell knows of one host.
   *
   * @param endpoint where the host's API listens, as it advertised it; empty when it advertised
   *     none (it is then not routable)
   */
  record HostStatus(
      HostId host,
      HostState state,
      LogPosition applied,
      Instant registeredAt,
      Instant reportedAt,
      Optional<Endpoint> endpoint) {}

  /** The outcome of one promotion round. */
  record Promotion(LogPosition activatedUpTo, int promotedVersions, int newMembers) {}

  /**
   * A host registers itself at every start with the position its replica actually holds. If that is
   * behind what the cell recorded (its replica was lost and rebuilt), it rejoins as JOINING.
   */
  void register(HostId host, LogPosition applied);

  /**
   * Records where a registered host's API listens, for routers; a host calls it after {@link
   * #register} at every start.
   */
  void advertise(HostId host, Endpoint endpoint);

  /** Records a host's applied position; positions only move forward. */
  void report(HostId host, LogPosition applied);

  /**
   * The operator's explicit removal of a host (a dead host holds activation back until removed).
   *
   * @return false when no such host was registered
   */
  boolean remove(HostId host);

  List<HostStatus> hosts();

  /**
   * Admits caught-up joining hosts as members, then marks ACTIVE every PENDING version at or below
   * the lowest member position. With no member, nothing is promoted.
   */
  Promotion promote();
}
