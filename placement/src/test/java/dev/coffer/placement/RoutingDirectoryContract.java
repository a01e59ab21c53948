package dev.coffer.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.model.ControlPlaneId;
import dev.coffer.core.model.Endpoint;
import dev.coffer.core.model.HostId;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.storage.CellMembership.HostState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link RoutingDirectory} must do; each implementation's test extends this. */
public abstract class RoutingDirectoryContract {
  protected static final ShardId ONE = ShardId.of("shard-1");
  protected static final ShardId TWO = ShardId.of("shard-2");

  protected static final CellHost A =
      new CellHost(HostId.of("host-a"), Endpoint.parse("https://10.0.0.1:8410"), HostState.MEMBER);
  protected static final CellHost B =
      new CellHost(HostId.of("host-b"), Endpoint.parse("https://10.0.0.2:8410"), HostState.JOINING);

  /** A new, empty directory in which shards {@link #ONE} and {@link #TWO} are registered. */
  protected abstract RoutingDirectory newDirectory();

  @Test
  void aCellIsWhatTheLastSyncSaid() {
    RoutingDirectory directory = newDirectory();
    assertThat(directory.cell(ONE)).isEmpty();

    directory.syncCell(ONE, List.of(B, A));
    directory.syncCell(TWO, List.of(A));
    assertThat(directory.cell(ONE)).containsExactly(A, B);
    assertThat(directory.cell(TWO)).containsExactly(A);

    CellHost movedB =
        new CellHost(B.host(), Endpoint.parse("https://10.0.0.9:8411"), HostState.MEMBER);
    directory.syncCell(ONE, List.of(movedB));
    assertThat(directory.cell(ONE)).containsExactly(movedB);
    assertThat(directory.cell(TWO)).containsExactly(A);

    directory.syncCell(ONE, List.of());
    assertThat(directory.cell(ONE)).isEmpty();
  }

  @Test
  void aCellNamingAHostTwiceIsRefusedAndChangesNothing() {
    RoutingDirectory directory = newDirectory();
    directory.syncCell(ONE, List.of(A));
    CellHost otherA = new CellHost(A.host(), B.endpoint(), HostState.JOINING);
    assertThatThrownBy(() -> directory.syncCell(ONE, List.of(B, A, otherA)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(directory.cell(ONE)).containsExactly(A);
  }

  @Test
  void controlPlanesAreRecordedMovedAndRemoved() {
    RoutingDirectory directory = newDirectory();
    ControlPlane two =
        new ControlPlane(ControlPlaneId.of("cp-2"), Endpoint.parse("http://127.0.0.1:8402"));
    ControlPlane one =
        new ControlPlane(ControlPlaneId.of("cp-1"), Endpoint.parse("http://127.0.0.1:8400"));
    directory.registerControlPlane(two);
    directory.registerControlPlane(one);
    directory.registerControlPlane(one);
    assertThat(directory.controlPlanes()).containsExactly(one, two);

    ControlPlane moved = new ControlPlane(one.id(), Endpoint.parse("https://10.0.1.1:8400"));
    directory.registerControlPlane(moved);
    assertThat(directory.controlPlanes()).containsExactly(moved, two);

    assertThat(directory.removeControlPlane(two.id())).isTrue();
    assertThat(directory.removeControlPlane(two.id())).isFalse();
    assertThat(directory.controlPlanes()).containsExactly(moved);
  }
}
