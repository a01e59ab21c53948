package dev.coffer.placement.log;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.model.ControlPlaneId;
import dev.coffer.core.model.Endpoint;
import dev.coffer.core.model.HostId;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.CellMembership.HostState;
import dev.coffer.core.storage.VaultPlacementStore.Placement;
import dev.coffer.placement.CellHost;
import dev.coffer.placement.ControlPlane;
import dev.coffer.placement.log.PlacementEvent.CellHostRemoved;
import dev.coffer.placement.log.PlacementEvent.CellHostSet;
import dev.coffer.placement.log.PlacementEvent.ControlPlaneRemoved;
import dev.coffer.placement.log.PlacementEvent.ControlPlaneSet;
import dev.coffer.placement.log.PlacementEvent.ShardRegistered;
import dev.coffer.placement.log.PlacementEvent.VaultPlaced;
import dev.coffer.placement.log.PlacementEvent.VaultUnplaced;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The base store log's payload: a format byte, a kind byte, then the kind's fields (names as
 * length-prefixed UTF-8, times as microseconds since the epoch, which is PostgreSQL's precision).
 * Decoding refuses anything it did not write: unknown format or kind, a bad name, trailing bytes.
 */
public final class PlacementEventCodec {
  private static final byte FORMAT = 1;
  private static final byte SHARD_REGISTERED = 1;
  private static final byte VAULT_PLACED = 2;
  private static final byte VAULT_UNPLACED = 3;
  private static final byte CELL_HOST_SET = 4;
  private static final byte CELL_HOST_REMOVED = 5;
  private static final byte CONTROL_PLANE_SET = 6;
  private static final byte CONTROL_PLANE_REMOVED = 7;

  private PlacementEventCodec() {}

  public static byte[] encode(PlacementEvent event) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      if (event instanceof ShardRegistered shard) {
        out.writeByte(SHARD_REGISTERED);
        out.writeLong(shard.version());
        out.writeUTF(shard.shard().value());
        out.writeLong(micros(shard.registeredAt()));
      } else if (event instanceof VaultPlaced placed) {
        Placement p = placed.placement();
        out.writeByte(VAULT_PLACED);
        out.writeLong(placed.version());
        out.writeUTF(p.vault().value());
        out.writeUTF(p.shard().value());
        out.writeByte(code(p.state()));
        out.writeLong(micros(p.createdAt()));
      } else if (event instanceof VaultUnplaced unplaced) {
        out.writeByte(VAULT_UNPLACED);
        out.writeLong(unplaced.version());
        out.writeUTF(unplaced.vault().value());
      } else if (event instanceof CellHostSet set) {
        out.writeByte(CELL_HOST_SET);
        out.writeLong(set.version());
        out.writeUTF(set.shard().value());
        out.writeUTF(set.host().host().value());
        out.writeUTF(set.host().endpoint().toString());
        out.writeByte(code(set.host().state()));
      } else if (event instanceof CellHostRemoved removed) {
        out.writeByte(CELL_HOST_REMOVED);
        out.writeLong(removed.version());
        out.writeUTF(removed.shard().value());
        out.writeUTF(removed.host().value());
      } else if (event instanceof ControlPlaneSet set) {
        out.writeByte(CONTROL_PLANE_SET);
        out.writeLong(set.version());
        out.writeUTF(set.controlPlane().id().value());
        out.writeUTF(set.controlPlane().endpoint().toString());
      } else {
        ControlPlaneRemoved removed = (ControlPlaneRemoved) event;
        out.writeByte(CONTROL_PLANE_REMOVED);
        out.writeLong(removed.version());
        out.writeUTF(removed.id().value());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * @throws IllegalArgumentException when {@code payload} is not an event this codec wrote
   */
  public static PlacementEvent decode(byte[] payload) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
      if (in.readByte() != FORMAT) {
        throw new IllegalArgumentException("unknown placement event format");
      }
      byte kind = in.readByte();
      long version = in.readLong();
      PlacementEvent event =
          switch (kind) {
            case SHARD_REGISTERED ->
                new ShardRegistered(ShardId.of(in.readUTF()), instant(in.readLong()), version);
            case VAULT_PLACED ->
                new VaultPlaced(
                    new Placement(
                        VaultName.of(in.readUTF()),
                        ShardId.of(in.readUTF()),
                        state(in.readByte()),
                        instant(in.readLong())),
                    version);
            case VAULT_UNPLACED -> new VaultUnplaced(VaultName.of(in.readUTF()), version);
            case CELL_HOST_SET ->
                new CellHostSet(
                    ShardId.of(in.readUTF()),
                    new CellHost(
                        HostId.of(in.readUTF()),
                        Endpoint.parse(in.readUTF()),
                        hostState(in.readByte())),
                    version);
            case CELL_HOST_REMOVED ->
                new CellHostRemoved(ShardId.of(in.readUTF()), HostId.of(in.readUTF()), version);
            case CONTROL_PLANE_SET ->
                new ControlPlaneSet(
                    new ControlPlane(ControlPlaneId.of(in.readUTF()), Endpoint.parse(in.readUTF())),
                    version);
            case CONTROL_PLANE_REMOVED ->
                new ControlPlaneRemoved(ControlPlaneId.of(in.readUTF()), version);
            default -> throw new IllegalArgumentException("unknown placement event kind");
          };
      if (in.available() > 0) {
        throw new IllegalArgumentException("trailing bytes after a placement event");
      }
      return event;
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated placement event", e);
    } catch (CofferException e) {
      throw new IllegalArgumentException("a placement event with an invalid name", e);
    }
  }

  // States travel as fixed codes, never as ordinals: reordering an enum must not change the log.

  private static int code(Placement.State state) {
    return switch (state) {
      case CREATING -> 1;
      case ACTIVE -> 2;
    };
  }

  private static Placement.State state(byte code) {
    return switch (code) {
      case 1 -> Placement.State.CREATING;
      case 2 -> Placement.State.ACTIVE;
      default -> throw new IllegalArgumentException("unknown placement state");
    };
  }

  private static int code(HostState state) {
    return switch (state) {
      case JOINING -> 1;
      case MEMBER -> 2;
    };
  }

  private static HostState hostState(byte code) {
    return switch (code) {
      case 1 -> HostState.JOINING;
      case 2 -> HostState.MEMBER;
      default -> throw new IllegalArgumentException("unknown host state");
    };
  }

  private static long micros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  private static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
