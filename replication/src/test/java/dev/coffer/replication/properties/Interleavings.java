package dev.coffer.replication.properties;

import static org.quicktheories.generators.SourceDSL.lists;

import dev.coffer.replication.properties.InterleavingWorld.Op;
import dev.coffer.replication.properties.InterleavingWorld.ReaderKind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The actions of the interleaving chains, and how a chain runs. A chain is a generated list of
 * steps, so QuickTheories shrinks it by dropping steps and simplifying their arguments. Every step
 * is total: it names its target by index among the transactions open at the time it runs (in start
 * order) and does nothing when there is none, so a shrunk chain (or a chain replayed against
 * another reader) always runs. A step whose precondition does not hold when its turn comes is
 * skipped: preconditions only keep chains to steps that do something.
 */
final class Interleavings {
  private Interleavings() {}

  /** One step of a chain: what it does, when it applies, and the sentence that names it. */
  record Step(
      String description,
      Predicate<InterleavingWorld> precondition,
      Consumer<InterleavingWorld> action) {
    @Override
    public String toString() {
      return description;
    }
  }

  /**
   * A step that never runs. It is where a shrunk step ends up, so that a shrunk chain reads as the
   * steps that matter: chains are described without it.
   */
  static final Step NOTHING = new Step("nothing", w -> false, w -> {});

  /**
   * Chains of up to {@code maxActions} steps that apply. About half the candidates are skipped by
   * their preconditions, so four chains in five draw 2 to 4 times {@code maxActions} candidates and
   * nearly always run {@code maxActions} steps, as the chains of fixed length did before; the rest
   * are shorter, and shrinking moves towards those. Steps are weighted as the actions' frequencies
   * below, with one part in 30 of {@link #NOTHING}.
   */
  static Gen<List<Step>> chains(int maxActions) {
    Gen<Step> steps =
        Generate.frequency(
            List.of(
                Pair.of(1, Generate.constant(NOTHING)),
                Pair.of(5, begin()),
                Pair.of(2, write()),
                Pair.of(3, commit()),
                Pair.of(1, abort()),
                Pair.of(6, read()),
                Pair.of(5, apply()),
                Pair.of(1, crash()),
                Pair.of(2, restart()),
                Pair.of(2, foreignBegin()),
                Pair.of(1, foreignEnd())));
    Gen<Integer> sizes =
        Generate.frequency(
            Pair.of(1, Generate.range(1, 2 * maxActions)),
            Pair.of(4, Generate.range(2 * maxActions, 4 * maxActions)));
    return lists()
        .of(steps)
        .ofSizes(sizes)
        .describedAs(
            chain -> chain.stream().filter(step -> !step.equals(NOTHING)).toList().toString());
  }

  /** The outcome of running a chain: the world at its end and the steps that ran. */
  record Run(InterleavingWorld world, List<Step> ran) {}

  /**
   * Runs the chain's steps whose preconditions hold, at most {@code maxActions} of them, on a fresh
   * world; with {@code checkInvariants}, checks every invariant after each step (an {@link
   * InterleavingWorld.InvariantViolation} ends the run).
   */
  static Run run(List<Step> chain, ReaderKind kind, int maxActions, boolean checkInvariants) {
    InterleavingWorld world = InterleavingWorld.fresh(kind);
    List<Step> ran = new ArrayList<>();
    for (Step step : chain) {
      if (ran.size() == maxActions) {
        break;
      }
      if (!step.precondition().test(world)) {
        continue;
      }
      ran.add(step);
      step.action().accept(world);
      if (checkInvariants) {
        world.checkAll();
      }
    }
    return new Run(world, List.copyOf(ran));
  }

  private static Gen<Op> op() {
    return Generate.frequency(
            Pair.of(3, Generate.constant(false)), Pair.of(1, Generate.constant(true)))
        .zip(Generate.range(0, InterleavingWorld.SECRETS.size() - 1), Op::new);
  }

  private static Gen<Integer> which() {
    return Generate.range(0, ShardFixture.MAX_OPEN - 1);
  }

  /** Open a writer transaction on one vault with 0-3 writes (0: it holds an id, writes later). */
  static Gen<Step> begin() {
    Gen<List<Op>> ops =
        Generate.frequency(
            Pair.of(1, Generate.constant(List.<Op>of())),
            Pair.of(6, lists().of(op()).ofSizeBetween(1, 3)));
    return Generate.range(0, InterleavingWorld.VAULTS.size() - 1)
        .zip(
            ops,
            (vault, writes) ->
                new Step(
                    "begin on " + InterleavingWorld.VAULTS.get(vault) + " " + writes,
                    InterleavingWorld::canBegin,
                    w -> w.begin(vault, writes)));
  }

  static Gen<Step> write() {
    return which()
        .zip(
            op(),
            (which, op) ->
                new Step(
                    "open transaction #" + which + " also does: " + op,
                    InterleavingWorld::hasOpen,
                    w -> w.write(which, op)));
  }

  static Gen<Step> commit() {
    return which()
        .map(
            which ->
                new Step(
                    "commit open transaction #" + which,
                    InterleavingWorld::hasOpen,
                    w -> w.commit(which)));
  }

  static Gen<Step> abort() {
    return which()
        .zip(
            Generate.booleans(),
            (which, viaSealer) ->
                new Step(
                    "abort open transaction #"
                        + which
                        + (viaSealer ? " (its sealer throws)" : " (rollback)"),
                    InterleavingWorld::hasOpen,
                    w -> w.abort(which, viaSealer)));
  }

  /** A transaction that is no log writer, in another database, takes an id and stays open. */
  static Gen<Step> foreignBegin() {
    return Generate.constant(
        new Step(
            "a transaction that is no log writer takes an id",
            w -> !w.foreignOpen(),
            InterleavingWorld::foreignBegin));
  }

  static Gen<Step> foreignEnd() {
    return Generate.booleans()
        .map(
            commit ->
                new Step(
                    "the transaction that is no log writer " + (commit ? "commits" : "rolls back"),
                    InterleavingWorld::foreignOpen,
                    w -> w.foreignEnd(commit)));
  }

  static Gen<Step> read() {
    return Generate.range(1, 4)
        .map(
            max ->
                new Step(
                    "host reads a batch of at most " + max,
                    InterleavingWorld::canRead,
                    w -> w.hostRead(max)));
  }

  static Gen<Step> apply() {
    return Generate.constant(
        new Step(
            "host applies its pending batch",
            InterleavingWorld::hasPending,
            InterleavingWorld::hostApply));
  }

  static Gen<Step> crash() {
    return Generate.constant(
        new Step(
            "host crashes (loses an unapplied batch)",
            InterleavingWorld::isHostUp,
            InterleavingWorld::hostCrash));
  }

  static Gen<Step> restart() {
    return Generate.constant(
        new Step(
            "host restarts from its applied position",
            w -> !w.isHostUp(),
            InterleavingWorld::hostRestart));
  }
}
