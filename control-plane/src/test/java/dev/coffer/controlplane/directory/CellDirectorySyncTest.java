package dev.coffer.controlplane.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.ControlPlaneId;
import dev.coffer.core.model.Endpoint;
import dev.coffer.core.model.HostId;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.storage.CellMembership;
import dev.coffer.core.storage.CellMembership.HostState;
import dev.coffer.core.storage.CellMembership.HostStatus;
import dev.coffer.placement.CellHost;
import dev.coffer.placement.ControlPlane;
import dev.coffer.placement.RoutingDirectory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CellDirectorySyncTest {
  private static final ShardId ONE = ShardId.of("shard-1");
  private static final ShardId TWO = ShardId.of("shard-2");
  private static final Endpoint A_ENDPOINT = Endpoint.parse("http://127.0.0.1:8410");

  /** Records what it is told; the base store's behaviour is RoutingDirectoryContract's. */
  private static final class RecordingDirectory implements RoutingDirectory {
    final Map<ShardId, List<CellHost>> cells = new LinkedHashMap<>();
    final List<ControlPlane> controlPlanes = new ArrayList<>();

    @Override
    public void syncCell(ShardId shard, List<CellHost> hosts) {
      cells.put(shard, List.copyOf(hosts));
    }

    @Override
    public List<CellHost> cell(ShardId shard) {
      return cells.getOrDefault(shard, List.of());
    }

    @Override
    public void registerControlPlane(ControlPlane controlPlane) {
      controlPlanes.add(controlPlane);
    }

    @Override
    public boolean removeControlPlane(ControlPlaneId id) {
      return controlPlanes.removeIf(cp -> cp.id().equals(id));
    }

    @Override
    public List<ControlPlane> controlPlanes() {
      return controlPlanes;
    }
  }

  /** A cell that lists fixed hosts, or fails as an unavailable store does. */
  private static CellMembership cell(List<HostStatus> hosts, boolean down) {
    return new CellMembership() {
      @Override
      public void register(HostId host, LogPosition applied) {}

      @Override
      public void advertise(HostId host, Endpoint endpoint) {}

      @Override
      public void report(HostId host, LogPosition applied) {}

      @Override
      public boolean remove(HostId host) {
        return false;
      }

      @Override
      public List<HostStatus> hosts() {
        if (down) {
          throw new CofferException(ErrorCode.STORE_UNAVAILABLE, "The shard store is unavailable.");
        }
        return hosts;
      }

      @Override
      public Promotion promote() {
        return new Promotion(LogPosition.ZERO, 0, 0);
      }
    };
  }

  private static HostStatus status(String host, HostState state, Optional<Endpoint> endpoint) {
    return new HostStatus(
        HostId.of(host), state, LogPosition.ZERO, Instant.EPOCH, Instant.EPOCH, endpoint);
  }

  @Test
  void mirrorsOnlyHostsThatAdvertisedAnEndpointWithTheirStanding() {
    RecordingDirectory directory = new RecordingDirectory();
    CellDirectorySync sync =
        new CellDirectorySync(
            directory,
            Map.of(
                ONE,
                cell(
                    List.of(
                        status("host-a", HostState.MEMBER, Optional.of(A_ENDPOINT)),
                        status("host-b", HostState.JOINING, Optional.empty())),
                    false)),
            Optional.empty(),
            Duration.ofSeconds(1));

    sync.syncAll();

    assertThat(directory.cells)
        .containsExactly(
            Map.entry(
                ONE, List.of(new CellHost(HostId.of("host-a"), A_ENDPOINT, HostState.MEMBER))));
    assertThat(directory.controlPlanes).isEmpty();
  }

  @Test
  void aShardWhoseStoreIsDownIsSkippedAndCountedTheOthersStillMirrored() {
    RecordingDirectory directory = new RecordingDirectory();
    Map<ShardId, CellMembership> cells = new LinkedHashMap<>();
    cells.put(ONE, cell(List.of(), true));
    cells.put(
        TWO, cell(List.of(status("host-c", HostState.MEMBER, Optional.of(A_ENDPOINT))), false));
    CellDirectorySync sync =
        new CellDirectorySync(directory, cells, Optional.empty(), Duration.ofSeconds(1));

    sync.syncAll();

    assertThat(directory.cells).containsOnlyKeys(TWO);
    assertThat(sync.failures()).isEqualTo(1);
  }

  @Test
  void recordsItselfAtStart() {
    RecordingDirectory directory = new RecordingDirectory();
    ControlPlane self =
        new ControlPlane(
            ControlPlaneId.of("control-plane-1"), Endpoint.parse("http://127.0.0.1:8400"));
    CellDirectorySync sync =
        new CellDirectorySync(directory, Map.of(), Optional.of(self), Duration.ofHours(1));
    sync.start();
    sync.stop();
    assertThat(directory.controlPlanes).containsExactly(self);
  }
}
