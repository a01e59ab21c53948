package dev.coffer.replication.properties;

import com.google.errorprone.annotations.FormatMethod;
import com.google.errorprone.annotations.FormatString;
import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.event.SecretDeleted;
import dev.coffer.core.event.SecretVersionPut;
import dev.coffer.core.event.VaultCreated;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretVersionRecord;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.ReplicaStore;
import dev.coffer.core.storage.ReplicationLogReader;
import dev.coffer.core.storage.ShardWriteStore.WriteOutcome;
import dev.coffer.replication.testing.TestSealer;
import dev.coffer.testkit.storage.AccessorAsReplica;
import dev.coffer.testkit.storage.InMemoryReplicaStore;
import dev.coffer.testkit.storage.ObservableState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One try's system under test and its model.
 *
 * <p>The system: real writer transactions of the real {@code PostgresShardStore} (held open on
 * {@link ShardFixture.Slot}s), a log reader (the real horizon reader, or the naive one), and a host
 * whose durable state is an {@link InMemoryReplicaStore} and whose volatile state is the batch it
 * has read but not yet applied. The host is stepped by hand: read, apply, crash (the pending batch
 * is lost), restart (it resumes from the replica's applied position).
 *
 * <p>The model: every event each committed transaction appended (read back from the table once the
 * transaction commits), and the positions of every aborted transaction's events.
 */
final class InterleavingWorld {
  enum ReaderKind {
    /** {@code PostgresLogReader}: (tx_id, seq) order, below the oldest transaction in flight. */
    HORIZON,
    /** {@link NaiveSeqReader}: {@code seq > :last}. */
    NAIVE_SEQ
  }

  static final String NO_SKIP = "no skip";
  static final String NEVER_BACK = "the host never goes back";
  static final String NO_ABORTED = "aborted writes never appear";
  static final String WRITER = "the writer appends exactly its transaction's events";
  static final String CONVERGENCE = "the caught-up replica equals the store";

  static final List<VaultName> VAULTS = List.of(VaultName.of("a"), VaultName.of("a-b"));
  static final List<SecretName> SECRETS =
      List.of(SecretName.of("x"), SecretName.of("x.y"), SecretName.of("b-x"));

  /** A put or delete of one of {@link #SECRETS}, in the transaction's vault. */
  record Op(boolean delete, int secret) {
    @Override
    public String toString() {
      return (delete ? "delete " : "put ") + SECRETS.get(secret);
    }
  }

  /** An invariant failed; {@link #invariant()} says which. */
  static final class InvariantViolation extends AssertionError {
    private final String invariant;

    InvariantViolation(String invariant, String message) {
      super(invariant + ": " + message);
      this.invariant = invariant;
    }

    String invariant() {
      return invariant;
    }
  }

  private static final class OpenTx {
    final int number;
    final ShardFixture.Slot slot;
    final VaultName vault;
    final Set<SecretName> owned = new TreeSet<>();

    /** Whether each secret it wrote exists afterwards, as the transaction itself sees it. */
    final Map<SecretName, Boolean> live = new HashMap<>();

    final List<LogPosition> appended = new ArrayList<>();
    long txId;

    OpenTx(int number, ShardFixture.Slot slot, VaultName vault) {
      this.number = number;
      this.slot = slot;
      this.vault = vault;
    }

    String name() {
      return "T" + number;
    }
  }

  /**
   * Highest latest-version the host has shown for a secret, and whether it has shown none since.
   */
  private record Floor(long version, boolean goneSince) {}

  private final ShardFixture fixture;
  private final ReaderKind kind;
  private final ReplicationLogReader reader;

  // The host: durable replica, volatile pending batch.
  private final InMemoryReplicaStore replica = new InMemoryReplicaStore();
  private List<PositionedEvent> pending;
  private boolean hostUp = true;

  // The writers.
  private final List<OpenTx> open = new ArrayList<>();
  private int transactions;

  // The model, by real (tx_id, seq) position.
  private final NavigableMap<LogPosition, ReplicationEvent> committed = new TreeMap<>();
  private final Map<Long, LogPosition> committedBySeq = new HashMap<>();
  private final Set<LogPosition> aborted = new TreeSet<>();
  private final Map<String, Boolean> committedLive = new HashMap<>();
  private final Set<LogPosition> applied = new TreeSet<>();

  // What the host has shown so far, for "never goes back".
  private LogPosition highestApplied = LogPosition.ZERO;
  private final Map<String, Floor> floors = new HashMap<>();

  private final List<String> trace = new ArrayList<>();

  // A transaction that is no log writer, open or not (0: none open).
  private long foreignTxId;

  // Coverage of the interesting interleavings.
  private int readsPastForeign;
  private int outOfOrderCommits;
  private int heldBackReads;
  private int lostBatches;
  private int aborts;
  private int maxOpen;

  private InterleavingWorld(ShardFixture fixture, ReaderKind kind) {
    this.fixture = fixture;
    this.kind = kind;
    this.reader = kind == ReaderKind.HORIZON ? fixture.reader : fixture.naiveReader;
  }

  /** An empty shard with the vaults created (and committed), and an empty host. */
  static InterleavingWorld fresh(ReaderKind kind) {
    ShardFixture fixture = ShardFixture.get();
    fixture.reset(VAULTS);
    InterleavingWorld world = new InterleavingWorld(fixture, kind);
    world.recordCommitted(fixture.allRows());
    world.trace.add("vaults " + VAULTS + " created at " + world.committed.keySet());
    return world;
  }

  // ------------------------------------------------------------------ writers

  /** Opens a transaction in a free slot and performs {@code ops} in it, leaving it open. */
  void begin(int vault, List<Op> ops) {
    Optional<ShardFixture.Slot> free =
        fixture.slots.stream().filter(s -> open.stream().noneMatch(t -> t.slot == s)).findFirst();
    if (free.isEmpty()) {
      return;
    }
    OpenTx tx = new OpenTx(++transactions, free.get(), VAULTS.get(vault));
    List<String> done = new ArrayList<>();
    for (Op op : ops) {
      String performed = perform(tx, op);
      done.add(performed != null ? performed : op + " skipped (another transaction holds it)");
    }
    // A transaction with no write yet still takes its id, as a writer blocked in its sealer has.
    tx.txId = tx.appended.isEmpty() ? tx.slot.transactionId() : tx.appended.get(0).txId();
    for (LogPosition position : tx.appended) {
      require(
          position.txId() == tx.txId,
          WRITER,
          "%s's event at %s does not carry the transaction's id %d",
          tx.name(),
          position,
          tx.txId);
    }
    open.add(tx);
    maxOpen = Math.max(maxOpen, open.size());
    trace.add(
        tx.name()
            + " begins on "
            + tx.vault
            + " (tx "
            + tx.txId
            + ")"
            + (done.isEmpty() ? ", nothing written yet" : ": " + String.join(", ", done)));
  }

  /** One more write in an already open transaction. */
  void write(int which, Op op) {
    if (open.isEmpty()) {
      return;
    }
    OpenTx tx = open.get(Math.floorMod(which, open.size()));
    String done = perform(tx, op);
    if (done != null) {
      trace.add(tx.name() + " writes: " + done);
    }
  }

  /** Performs the write and describes it, or returns null if another transaction holds it. */
  private String perform(OpenTx tx, Op op) {
    SecretName secret = SECRETS.get(op.secret());
    for (OpenTx other : open) {
      if (other != tx && other.vault.equals(tx.vault) && other.owned.contains(secret)) {
        // The store would wait for the other transaction's row lock; one thread cannot.
        return null;
      }
    }
    WriteOutcome outcome;
    String done;
    // No other open transaction has touched the secret, so it sees the last committed state.
    boolean live =
        tx.live.getOrDefault(secret, committedLive.getOrDefault(tx.vault + "/" + secret, false));
    if (op.delete() && live) {
      outcome = tx.slot.deleteSecret(tx.vault, secret);
      done = "delete " + secret;
      tx.live.put(secret, false);
    } else {
      // A delete of a secret that does not exist would only be refused: put instead.
      outcome = tx.slot.putSecret(tx.vault, secret, TestSealer.of(tx.name()));
      done = "put " + secret + " v" + outcome.version();
      tx.live.put(secret, true);
    }
    tx.owned.add(secret);
    tx.appended.add(outcome.position());
    return done + " @" + outcome.position();
  }

  void commit(int which) {
    if (open.isEmpty()) {
      return;
    }
    OpenTx tx = open.remove(Math.floorMod(which, open.size()));
    boolean outOfOrder = open.stream().anyMatch(other -> other.number < tx.number);
    tx.slot.commit();
    List<PositionedEvent> rows = fixture.rowsOf(tx.txId);
    require(
        rows.stream().map(PositionedEvent::position).toList().equals(tx.appended),
        WRITER,
        "%s committed the rows %s, but the store reported appending %s",
        tx.name(),
        rows.stream().map(PositionedEvent::position).toList(),
        tx.appended);
    recordCommitted(rows);
    tx.live.forEach((secret, live) -> committedLive.put(tx.vault + "/" + secret, live));
    if (outOfOrder) {
      outOfOrderCommits++;
    }
    trace.add(tx.name() + " commits" + (outOfOrder ? " (an older transaction is still open)" : ""));
  }

  /** Rolls back; with {@code viaSealer}, first makes the store's sealer throw mid-write. */
  void abort(int which, boolean viaSealer) {
    if (open.isEmpty()) {
      return;
    }
    OpenTx tx = open.remove(Math.floorMod(which, open.size()));
    String how = "rolls back";
    if (viaSealer && !tx.owned.isEmpty()) {
      IllegalStateException failure = new IllegalStateException("sealer failed");
      try {
        tx.slot.putSecret(tx.vault, tx.owned.iterator().next(), TestSealer.failing(failure));
        require(false, WRITER, "%s: a put whose sealer throws succeeded", tx.name());
      } catch (IllegalStateException e) {
        require(e == failure, WRITER, "%s: the sealer's failure was replaced by %s", tx.name(), e);
      }
      how = "aborts (its sealer throws)";
    }
    tx.slot.rollback();
    require(
        fixture.rowsOf(tx.txId).isEmpty(),
        NO_ABORTED,
        "%s rolled back but its rows are in the log",
        tx.name());
    aborted.addAll(tx.appended);
    aborts++;
    trace.add(tx.name() + " " + how + (tx.appended.isEmpty() ? "" : ", dropping " + tx.appended));
  }

  private void recordCommitted(List<PositionedEvent> rows) {
    for (PositionedEvent row : rows) {
      committed.put(row.position(), row.event());
      committedBySeq.put(row.position().seq(), row.position());
    }
  }

  // ------------------------------------------------------------------ the others

  /**
   * A transaction that is no log writer takes an id in another database of the server and stays
   * open: the server's horizon stops at it, the log writers' does not.
   */
  void foreignBegin() {
    if (foreignTxId != 0) {
      return;
    }
    foreignTxId = fixture.beginForeign();
    trace.add("a transaction that is no log writer takes id " + foreignTxId + " and stays open");
  }

  void foreignEnd(boolean commit) {
    if (foreignTxId == 0) {
      return;
    }
    fixture.endForeign(commit);
    trace.add("the transaction that is no log writer (" + foreignTxId + ") ends");
    foreignTxId = 0;
  }

  // ------------------------------------------------------------------ the host

  /** Reads the next batch after the replica's applied position, without applying it. */
  void hostRead(int max) {
    if (!hostUp || pending != null) {
      return;
    }
    LogPosition after = replica.appliedPosition();
    List<PositionedEvent> batch = reader.readAfter(after, max);
    LogPosition previous = after;
    for (PositionedEvent event : batch) {
      require(
          event.position().compareTo(previous) > 0,
          NEVER_BACK,
          "read after %s returned %s out of order",
          after,
          batch.stream().map(PositionedEvent::position).toList());
      previous = event.position();
      LogPosition real = real(event.position());
      require(
          real != null && !aborted.contains(real) && event.event().equals(committed.get(real)),
          NO_ABORTED,
          "the reader returned %s at %s, which no committed transaction appended",
          describe(event.event()),
          event.position());
    }
    if (foreignTxId != 0
        && batch.stream()
            .map(e -> real(e.position()))
            .anyMatch(real -> real != null && real.txId() > foreignTxId)) {
      readsPastForeign++;
    }
    long available = committed.keySet().stream().filter(p -> key(p).compareTo(after) > 0).count();
    boolean heldBack = batch.size() < Math.min(max, available);
    if (heldBack) {
      heldBackReads++;
    }
    pending = batch;
    trace.add(
        "host reads after "
            + after
            + " (max "
            + max
            + "): "
            + batch.stream().map(e -> e.position().toString()).toList()
            + (heldBack ? " (held back: " + available + " committed after " + after + ")" : ""));
  }

  void hostApply() {
    if (pending == null) {
      return;
    }
    if (!pending.isEmpty()) {
      replica.apply(pending);
      for (PositionedEvent event : pending) {
        applied.add(real(event.position()));
      }
    }
    trace.add("host applies " + pending.size() + ", now at " + replica.appliedPosition());
    pending = null;
  }

  void hostCrash() {
    if (!hostUp) {
      return;
    }
    if (pending != null && !pending.isEmpty()) {
      lostBatches++;
    }
    trace.add(
        "host crashes"
            + (pending == null || pending.isEmpty()
                ? ""
                : ", losing its unapplied batch of " + pending.size()));
    pending = null;
    hostUp = false;
  }

  void hostRestart() {
    if (hostUp) {
      return;
    }
    hostUp = true;
    trace.add("host restarts from " + replica.appliedPosition());
  }

  // ------------------------------------------------------------------ invariants

  /**
   * (1) Every committed event at or below the host's applied position (in its reader's order) has
   * been applied, nothing else has, and the replica shows exactly what applying those events to an
   * empty replica shows.
   */
  void checkNoSkip() {
    LogPosition position = replica.appliedPosition();
    Map<LogPosition, ReplicationEvent> due = new TreeMap<>();
    committed.forEach(
        (real, event) -> {
          if (key(real).compareTo(position) <= 0) {
            due.put(real, event);
          }
        });
    Set<LogPosition> missing = new TreeSet<>(due.keySet());
    missing.removeAll(applied);
    require(
        missing.isEmpty(),
        NO_SKIP,
        "the host is at %s but never applied the committed %s",
        position,
        missing.stream().map(p -> p + " " + describe(committed.get(p))).toList());
    Set<LogPosition> beyond = new TreeSet<>(applied);
    beyond.removeAll(due.keySet());
    require(
        beyond.isEmpty(), NO_SKIP, "the host is at %s but applied %s beyond it", position, beyond);
    InMemoryReplicaStore reference = new InMemoryReplicaStore();
    due.forEach((real, event) -> reference.apply(List.of(new PositionedEvent(real, event))));
    ObservableState expected = observe(reference);
    ObservableState actual = observe(replica);
    require(
        expected.equals(actual),
        NO_SKIP,
        "the replica at %s shows%n  %s%nbut the committed events up to there give%n  %s",
        position,
        actual,
        expected);
  }

  /** (2) The applied position and every secret's latest version only move forward. */
  void checkNeverBack() {
    LogPosition position = replica.appliedPosition();
    require(
        position.compareTo(highestApplied) >= 0,
        NEVER_BACK,
        "the applied position went from %s back to %s",
        highestApplied,
        position);
    highestApplied = position;
    for (VaultName vault : VAULTS) {
      for (SecretName secret : SECRETS) {
        String id = vault + "/" + secret;
        Floor floor = floors.getOrDefault(id, new Floor(0, false));
        Optional<Long> latest = replica.latest(vault, secret).map(SecretVersionRecord::version);
        if (latest.isPresent()) {
          long version = latest.get();
          // After a deletion only a later put (a higher version) can show; before, never lower.
          require(
              floor.goneSince() ? version > floor.version() : version >= floor.version(),
              NEVER_BACK,
              "%s showed v%d%s, then v%d",
              id,
              floor.version(),
              floor.goneSince() ? " and was then deleted" : "",
              version);
          floors.put(id, new Floor(version, false));
        } else if (floor.version() > 0) {
          floors.put(id, new Floor(floor.version(), true));
        }
      }
    }
  }

  /** (3) No aborted transaction's event is applied, pending, or (by (1)) shown. */
  void checkNoAborted() {
    Set<LogPosition> leaked = new TreeSet<>(applied);
    leaked.retainAll(aborted);
    if (pending != null) {
      for (PositionedEvent event : pending) {
        if (aborted.contains(real(event.position()))) {
          leaked.add(real(event.position()));
        }
      }
    }
    require(leaked.isEmpty(), NO_ABORTED, "the host holds aborted events at %s", leaked);
  }

  void checkAll() {
    checkNoSkip();
    checkNeverBack();
    checkNoAborted();
  }

  // ------------------------------------------------------------------ the end of a chain

  /**
   * Commits whatever is still open (newest first), restarts the host if it is down, and lets it
   * read and apply until it has every committed event, checking the invariants at every step.
   */
  void finishAndCatchUp() {
    // A transaction that is no log writer stays open while the host catches up: it must not
    // hold the host back.
    while (!open.isEmpty()) {
      commit(open.size() - 1);
      checkAll();
    }
    hostRestart();
    hostApply();
    checkAll();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      hostRead(16);
      boolean empty = pending.isEmpty();
      hostApply();
      checkAll();
      if (empty) {
        if (applied.containsAll(committed.keySet())) {
          foreignEnd(true);
          return;
        }
        // Only possible on a shared external server, where another session can hold the horizon.
        require(
            System.nanoTime() < deadline,
            CONVERGENCE,
            "the host stopped at %s without %s",
            replica.appliedPosition(),
            missingFromReplica());
        sleep(20);
      }
    }
  }

  /**
   * As {@link #finishAndCatchUp()}, but reads until the reader returns nothing, checking nothing.
   */
  void finishAndDrain() {
    commitAllOpen();
    foreignEnd(true);
    hostRestart();
    hostApply();
    while (true) {
      hostRead(16);
      boolean empty = pending.isEmpty();
      hostApply();
      if (empty) {
        return;
      }
    }
  }

  private void commitAllOpen() {
    while (!open.isEmpty()) {
      commit(open.size() - 1);
    }
  }

  /**
   * The replica has applied every committed event, shows what the store shows, and (horizon reader)
   * is at the log's readable position.
   */
  void checkConverged() {
    require(
        applied.equals(committed.keySet()),
        CONVERGENCE,
        "the replica lacks the committed %s",
        missingFromReplica());
    ObservableState store = observe(new AccessorAsReplica(fixture.store));
    ObservableState host = observe(replica);
    require(
        store.equals(host),
        CONVERGENCE,
        "the store shows%n  %s%nbut the replica shows%n  %s",
        store,
        host);
    if (kind == ReaderKind.HORIZON) {
      require(
          replica.appliedPosition().equals(fixture.reader.readablePosition()),
          CONVERGENCE,
          "the replica is at %s, the log's readable position is %s",
          replica.appliedPosition(),
          fixture.reader.readablePosition());
    }
  }

  /** Whether the replica shows what the store shows (for the naive reader's evidence). */
  boolean replicaEqualsStore() {
    return observe(new AccessorAsReplica(fixture.store)).equals(observe(replica));
  }

  List<String> missingFromReplica() {
    return committed.keySet().stream()
        .filter(p -> !applied.contains(p))
        .map(p -> p + " " + describe(committed.get(p)))
        .toList();
  }

  // ------------------------------------------------------------------ preconditions

  boolean foreignOpen() {
    return foreignTxId != 0;
  }

  boolean canBegin() {
    return open.size() < fixture.slots.size();
  }

  boolean hasOpen() {
    return !open.isEmpty();
  }

  boolean canRead() {
    return hostUp && pending == null;
  }

  boolean hasPending() {
    return pending != null;
  }

  boolean isHostUp() {
    return hostUp;
  }

  // ------------------------------------------------------------------ reporting

  List<String> trace() {
    return List.copyOf(trace);
  }

  int traceSize() {
    return trace.size();
  }

  int outOfOrderCommits() {
    return outOfOrderCommits;
  }

  /** Reads that returned an event newer than an open transaction that is no log writer. */
  int readsPastForeign() {
    return readsPastForeign;
  }

  int heldBackReads() {
    return heldBackReads;
  }

  int lostBatches() {
    return lostBatches;
  }

  int aborts() {
    return aborts;
  }

  int maxOpen() {
    return maxOpen;
  }

  int committedEvents() {
    return committed.size();
  }

  // ------------------------------------------------------------------ helpers

  /**
   * The event's position in the reader's own order: (tx_id, seq), or (0, seq) for the naive one.
   */
  private LogPosition key(LogPosition real) {
    return kind == ReaderKind.HORIZON ? real : new LogPosition(0, real.seq());
  }

  /** The real position of a position the reader returned; null if nothing committed is there. */
  private LogPosition real(LogPosition readerPosition) {
    return kind == ReaderKind.HORIZON ? readerPosition : committedBySeq.get(readerPosition.seq());
  }

  private ObservableState observe(ReplicaStore store) {
    long maxVersion =
        committed.values().stream()
            .filter(SecretVersionPut.class::isInstance)
            .mapToLong(e -> ((SecretVersionPut) e).version())
            .max()
            .orElse(0);
    return ObservableState.capture(store, VAULTS, SECRETS, maxVersion);
  }

  private static String describe(ReplicationEvent event) {
    if (event instanceof SecretVersionPut put) {
      return "(put " + put.vault() + "/" + put.secret() + " v" + put.version() + ")";
    }
    if (event instanceof SecretDeleted deleted) {
      return "(delete " + deleted.vault() + "/" + deleted.secret() + ")";
    }
    if (event instanceof VaultCreated created) {
      return "(create vault " + created.vault() + ")";
    }
    return String.valueOf(event);
  }

  @FormatMethod
  private void require(boolean ok, String invariant, @FormatString String format, Object... args) {
    if (!ok) {
      throw new InvariantViolation(
          invariant,
          String.format(format, args)
              + trace.stream().collect(Collectors.joining("\n    ", "\n  after:\n    ", "")));
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
