package dev.coffer.replication.properties;

import dev.coffer.replication.properties.InterleavingWorld.Op;
import dev.coffer.replication.properties.InterleavingWorld.ReaderKind;
import java.util.List;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;
import net.jqwik.api.state.ChangeDetector;
import net.jqwik.api.state.Transformer;

/**
 * The actions of the interleaving chains. Every transformer is total: it names its target by index
 * among the transactions open at the time it runs (in start order) and does nothing when there is
 * none, so a shrunk chain (or a chain replayed against another reader) always runs. Preconditions
 * only steer generation towards actions that do something.
 */
final class Interleavings {
  private Interleavings() {}

  static ActionChainArbitrary<InterleavingWorld> chains(ReaderKind kind, int maxActions) {
    return ActionChain.<InterleavingWorld>startWith(() -> InterleavingWorld.fresh(kind))
        .withAction(5, begin())
        .withAction(2, write())
        .withAction(3, commit())
        .withAction(1, abort())
        .withAction(6, read())
        .withAction(5, apply())
        .withAction(1, crash())
        .withAction(2, restart())
        .withAction(2, foreignBegin())
        .withAction(1, foreignEnd())
        .withMaxTransformations(maxActions)
        // Every step that does something leaves a line in the trace: jqwik drops those that don't.
        .improveShrinkingWith(Interleavings::traceGrows);
  }

  private static ChangeDetector<InterleavingWorld> traceGrows() {
    return new ChangeDetector<>() {
      private int before;

      @Override
      public void before(InterleavingWorld world) {
        before = world.traceSize();
      }

      @Override
      public boolean hasChanged(InterleavingWorld world) {
        return world.traceSize() != before;
      }
    };
  }

  private static Arbitrary<Op> op() {
    return Combinators.combine(
            Arbitraries.frequency(Tuple.of(3, false), Tuple.of(1, true)),
            Arbitraries.integers().between(0, InterleavingWorld.SECRETS.size() - 1))
        .as(Op::new);
  }

  private static Arbitrary<Integer> which() {
    return Arbitraries.integers().between(0, ShardFixture.MAX_OPEN - 1);
  }

  /** Open a writer transaction on one vault with 0-3 writes (0: it holds an id, writes later). */
  static Action.Independent<InterleavingWorld> begin() {
    Arbitrary<List<Op>> ops =
        Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.just(List.<Op>of())),
            Tuple.of(6, op().list().ofMinSize(1).ofMaxSize(3)));
    return action(
        w -> w.canBegin(),
        Combinators.combine(
                Arbitraries.integers().between(0, InterleavingWorld.VAULTS.size() - 1), ops)
            .as(
                (vault, writes) ->
                    Transformer.mutate(
                        "begin on " + InterleavingWorld.VAULTS.get(vault) + " " + writes,
                        w -> w.begin(vault, writes))));
  }

  static Action.Independent<InterleavingWorld> write() {
    return action(
        InterleavingWorld::hasOpen,
        Combinators.combine(which(), op())
            .as(
                (which, op) ->
                    Transformer.mutate(
                        "open transaction #" + which + " also does: " + op,
                        w -> w.write(which, op))));
  }

  static Action.Independent<InterleavingWorld> commit() {
    return action(
        InterleavingWorld::hasOpen,
        which()
            .map(
                which ->
                    Transformer.mutate("commit open transaction #" + which, w -> w.commit(which))));
  }

  static Action.Independent<InterleavingWorld> abort() {
    return action(
        InterleavingWorld::hasOpen,
        Combinators.combine(which(), Arbitraries.of(true, false))
            .as(
                (which, viaSealer) ->
                    Transformer.mutate(
                        "abort open transaction #"
                            + which
                            + (viaSealer ? " (its sealer throws)" : " (rollback)"),
                        w -> w.abort(which, viaSealer))));
  }

  /** A transaction that is no log writer, in another database, takes an id and stays open. */
  static Action.Independent<InterleavingWorld> foreignBegin() {
    return action(
        w -> !w.foreignOpen(),
        Arbitraries.just(
            Transformer.mutate(
                "a transaction that is no log writer takes an id",
                InterleavingWorld::foreignBegin)));
  }

  static Action.Independent<InterleavingWorld> foreignEnd() {
    return action(
        InterleavingWorld::foreignOpen,
        Arbitraries.of(true, false)
            .map(
                commit ->
                    Transformer.mutate(
                        "the transaction that is no log writer "
                            + (commit ? "commits" : "rolls back"),
                        w -> w.foreignEnd(commit))));
  }

  static Action.Independent<InterleavingWorld> read() {
    return action(
        InterleavingWorld::canRead,
        Arbitraries.integers()
            .between(1, 4)
            .map(
                max ->
                    Transformer.mutate(
                        "host reads a batch of at most " + max, w -> w.hostRead(max))));
  }

  static Action.Independent<InterleavingWorld> apply() {
    return action(
        InterleavingWorld::hasPending,
        Arbitraries.just(
            Transformer.mutate("host applies its pending batch", InterleavingWorld::hostApply)));
  }

  static Action.Independent<InterleavingWorld> crash() {
    return action(
        InterleavingWorld::isHostUp,
        Arbitraries.just(
            Transformer.mutate(
                "host crashes (loses an unapplied batch)", InterleavingWorld::hostCrash)));
  }

  static Action.Independent<InterleavingWorld> restart() {
    return action(
        w -> !w.isHostUp(),
        Arbitraries.just(
            Transformer.mutate(
                "host restarts from its applied position", InterleavingWorld::hostRestart)));
  }

  private static Action.Independent<InterleavingWorld> action(
      Predicate<InterleavingWorld> precondition,
      Arbitrary<Transformer<InterleavingWorld>> transformers) {
    return new Action.Independent<>() {
      @Override
      public boolean precondition(InterleavingWorld world) {
        return precondition.test(world);
      }

      @Override
      public Arbitrary<Transformer<InterleavingWorld>> transformer() {
        return transformers;
      }
    };
  }
}
