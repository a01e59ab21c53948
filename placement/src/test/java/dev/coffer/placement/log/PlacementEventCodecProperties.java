package dev.coffer.placement.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class PlacementEventCodecProperties {
  private static final String FIRST = "abcdefghijklmnopqrstuvwxyz";
  private static final String REST = FIRST + "0123456789-";

  static Gen<String> names(int maxLength) {
    Gen<Character> first = Generate.pick(chars(FIRST));
    Gen<Character> last = Generate.pick(chars(FIRST + "0123456789"));
    return first.zip(
        Generate.intArrays(Generate.range(0, maxLength - 2), Generate.range(0, REST.length() - 1)),
        last,
        Generate.booleans(),
        (f, middle, l, single) -> {
          if (single) {
            return String.valueOf(f);
          }
          StringBuilder name = new StringBuilder().append(f);
          for (int i : middle) {
            name.append(REST.charAt(i));
          }
          return name.append(l).toString();
        });
  }

  private static List<Character> chars(String alphabet) {
    return alphabet.chars().mapToObj(c -> (char) c).toList();
  }

  static Gen<Instant> instants() {
    // PostgreSQL's range and precision: microseconds, years 1 to 9999 would do; a century is
    // plenty.
    return Generate.longRange(0, 100L * 365 * 24 * 3600 * 1_000_000)
        .map(micros -> Instant.EPOCH.plus(micros, ChronoUnit.MICROS));
  }

  static Gen<PlacementEvent> events() {
    Gen<Long> versions = Generate.longRange(1, Long.MAX_VALUE);
    Gen<PlacementEvent> shard =
        names(32)
            .zip(instants(), versions, (s, at, v) -> new ShardRegistered(ShardId.of(s), at, v));
    Gen<Placement> placements =
        names(63)
            .zip(
                names(32),
                Generate.enumValues(Placement.State.class),
                instants(),
                (vault, s, state, at) ->
                    new Placement(VaultName.of(vault), ShardId.of(s), state, at));
    Gen<PlacementEvent> placed = placements.zip(versions, VaultPlaced::new);
    Gen<PlacementEvent> unplaced =
        names(63).zip(versions, (vault, v) -> new VaultUnplaced(VaultName.of(vault), v));
    Gen<Endpoint> endpoints =
        Generate.booleans()
            .zip(
                names(63),
                Generate.range(1, 65_535),
                (tls, host, port) -> new Endpoint(tls ? "https" : "http", host, port));
    Gen<CellHost> hosts =
        names(63)
            .zip(
                endpoints,
                Generate.enumValues(HostState.class),
                (host, endpoint, state) -> new CellHost(HostId.of(host), endpoint, state));
    Gen<PlacementEvent> hostSet =
        names(32).zip(hosts, versions, (s, h, v) -> new CellHostSet(ShardId.of(s), h, v));
    Gen<PlacementEvent> hostRemoved =
        names(32)
            .zip(
                names(63),
                versions,
                (s, h, v) -> new CellHostRemoved(ShardId.of(s), HostId.of(h), v));
    Gen<PlacementEvent> controlPlaneSet =
        names(63)
            .zip(
                endpoints,
                versions,
                (id, e, v) -> new ControlPlaneSet(new ControlPlane(ControlPlaneId.of(id), e), v));
    Gen<PlacementEvent> controlPlaneRemoved =
        names(63).zip(versions, (id, v) -> new ControlPlaneRemoved(ControlPlaneId.of(id), v));
    return Generate.frequency(
        Pair.of(1, shard),
        Pair.of(2, placed),
        Pair.of(1, unplaced),
        Pair.of(2, hostSet),
        Pair.of(1, hostRemoved),
        Pair.of(1, controlPlaneSet),
        Pair.of(1, controlPlaneRemoved));
  }

  @Test
  void everyEventSurvivesTheRoundTrip() {
    qt().withExamples(3_000)
        .forAll(events())
        .checkAssert(
            event ->
                assertThat(PlacementEventCodec.decode(PlacementEventCodec.encode(event)))
                    .isEqualTo(event));
  }

  @Test
  void noProperPrefixAndNoLongerPayloadDecodes() {
    qt().withExamples(500)
        .forAll(events(), Generate.range(0, 255))
        .checkAssert(
            (event, extra) -> {
              byte[] payload = PlacementEventCodec.encode(event);
              for (int length = 0; length < payload.length; length++) {
                byte[] prefix = Arrays.copyOf(payload, length);
                assertThatThrownBy(() -> PlacementEventCodec.decode(prefix))
                    .isInstanceOf(IllegalArgumentException.class);
              }
              byte[] longer = Arrays.copyOf(payload, payload.length + 1);
              longer[payload.length] = (byte) (int) extra;
              assertThatThrownBy(() -> PlacementEventCodec.decode(longer))
                  .isInstanceOf(IllegalArgumentException.class);
            });
  }

  @Test
  void anUnknownFormatKindOrStateIsRefused() {
    byte[] placed =
        PlacementEventCodec.encode(
            new VaultPlaced(
                new Placement(
                    VaultName.of("v"), ShardId.of("s"), Placement.State.ACTIVE, Instant.EPOCH),
                7));
    byte[] format = placed.clone();
    format[0] = 2;
    byte[] kind = placed.clone();
    kind[1] = 9;
    byte[] state = placed.clone();
    // format, kind, version (8), vault (2 + 1), shard (2 + 1), then the state.
    state[1 + 1 + 8 + 3 + 3] = 5;
    for (byte[] bad : List.of(format, kind, state)) {
      assertThatThrownBy(() -> PlacementEventCodec.decode(bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aPayloadNamingAnInvalidVaultIsRefusedNotDecodedIntoOne() {
    byte[] payload = PlacementEventCodec.encode(new VaultUnplaced(VaultName.of("abc"), 3));
    payload[payload.length - 2] = 'B';
    assertThatThrownBy(() -> PlacementEventCodec.decode(payload))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
