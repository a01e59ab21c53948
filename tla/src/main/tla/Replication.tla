---------------------------- MODULE Replication ----------------------------
(***************************************************************************)
(* Coffer's replication protocol for one shard.                            *)
(*                                                                         *)
(* The shard store (PostgreSQL) runs writer transactions.  A transaction   *)
(* is given an xid from a global counter when it first writes (Begin); it  *)
(* then mutates secrets (Mutate), each mutation appending, in the same     *)
(* transaction, an event row whose seq comes from a global sequence.       *)
(* Writers hold the log writers' gate (a shared advisory lock) from before *)
(* their xid to their end.  Other transactions on the same server take     *)
(* xids too (ForeignXids: another database's work, an operator's session) *)
(* and never append; they may stay open for ever.                          *)
(* Transactions commit or abort in any order; aborted events never become  *)
(* visible.  Mutations of one secret are serialised by a row lock held to  *)
(* the end of the transaction, so entity versions (ev) of a secret grow in *)
(* commit order -- but not necessarily in xid order, hence not in log      *)
(* order.                                                                  *)
(*                                                                         *)
(* Data-plane hosts tail the log (Read, Apply) below the server's horizon,  *)
(* or, when that holds committed events back, in two statements: the log   *)
(* writers' horizon first (ReadWritersHorizon), the events below it later  *)
(* (ReadBelow).  They crash and restart losing                             *)
(* their in-memory batch (Crash), bootstrap from a snapshot when the log   *)
(* was truncated past them (Bootstrap, CrashInBootstrap) and report their  *)
(* applied position (Report).  The control plane registers hosts as        *)
(* JOINING (Register), removes them (Remove), admits caught-up joiners as  *)
(* MEMBERs and marks versions ACTIVE (Promote), and truncates the log      *)
(* (Truncate).                                                             *)
(*                                                                         *)
(* README.md beside this file maps every action to the Java code.          *)
(*                                                                         *)
(* Design switches (all FALSE for the real design):                        *)
(*   NaiveReader           the reader tails by seq alone, no horizon (the  *)
(*                         classic outbox gap).                            *)
(*   LastWriterWinsApply   apply overwrites instead of max-merging and     *)
(*                         ignores the tombstone.                          *)
(*   AdmitJoinersEagerly   promotion admits a JOINING host as a MEMBER     *)
(*                         without checking that it caught up with the     *)
(*                         activation watermark.                           *)
(*   GateAfterXid          a writer enters the gate after it has its xid.  *)
(*   ServerHorizonOnly     the reader never asks for the log writers'      *)
(*                         horizon (the design before the gate).           *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, Sequences, TLC, PositionOrder

CONSTANTS
    Hosts,          \* every host that ever exists in the model
    InitialHosts,   \* MEMBERs from the start (the log is empty then)
    Secrets,
    MaxXid,         \* number of transactions, writers and foreign
    ForeignXids,    \* the xids of transactions that never append
    MaxOpsPerTxn,   \* mutations per transaction
    MaxCrashes,     \* crashes in a behaviour, over all hosts
    BatchLimit,     \* LIMIT of the reader's query
    AllowRemoval,   \* may the operator remove a registered host
    NaiveReader,
    LastWriterWinsApply,
    AdmitJoinersEagerly,
    GateAfterXid,
    ServerHorizonOnly

ASSUME /\ InitialHosts \subseteq Hosts
       /\ InitialHosts # {}
       /\ MaxXid \in Nat /\ MaxOpsPerTxn \in Nat \ {0}
       /\ MaxCrashes \in Nat /\ BatchLimit \in Nat \ {0}
       /\ ForeignXids \subseteq 1..MaxXid
       /\ \A b \in {AllowRemoval, NaiveReader, LastWriterWinsApply,
                    AdmitJoinersEagerly, GateAfterXid, ServerHorizonOnly} :
              b \in BOOLEAN

Xids == 1..MaxXid
Ops  == {"PUT", "DEL"}

Max(a, b) == IF a < b THEN b ELSE a
MinNat(S) == CHOOSE m \in S : \A y \in S : m <= y
MaxNat(S) == CHOOSE m \in S : \A y \in S : y <= m

(***************************************************************************)
(* Per-secret entity state, the same shape in the store and on a host:     *)
(*   vers    the live versions, as pairs <<n, put-ev>>                     *)
(*   tomb    the entity version of the latest delete (0: never deleted)    *)
(*   latest  metadata "latest ev seen"                                     *)
(***************************************************************************)
EmptySecret == [vers |-> {}, tomb |-> 0, latest |-> 0]
EmptyState  == [s \in Secrets |-> EmptySecret]

VARIABLES
    \* --- shard store ---
    nextXid,     \* next xid to assign
    nextSeq,     \* next value of the event sequence
    status,      \* xid -> "none" | "active" | "committed" | "aborted"
    log,         \* event rows of active and committed transactions; rows
                 \* stay here after truncation, as history for the checks
    store,       \* committed entity state of the store
    truncPos,    \* truncation point: rows at or below it are deleted
    gated,       \* xids that entered the log writers' gate (held to their end)
    \* --- data-plane hosts ---
    crashes,     \* crashes so far (bounded by MaxCrashes)
    applied,     \* durable: position of the last applied event
    hstate,      \* durable: the host's local entity state
    batch,       \* volatile: events read and not yet applied
    hz,          \* volatile: the log writers' horizon read by the first of
                 \* the two statements, 0 when none is pending
    \* --- control plane (cell_hosts, cell_activation, secret_versions.state) ---
    registered,  \* hosts with a cell_hosts row (JOINING or MEMBER)
    member,      \* the registered hosts in state MEMBER
    removed,     \* hosts removed by an operator (never come back)
    reported,    \* host -> last position the host reported
    watermark,   \* activation watermark: versions at or below it are ACTIVE
    active       \* the PUT events whose version is ACTIVE

storeVars   == <<nextXid, nextSeq, status, log, store, truncPos, gated>>
hostVars    == <<crashes, applied, hstate, batch, hz>>
controlVars == <<registered, member, removed, reported, watermark, active>>
vars        == <<storeVars, hostVars, controlVars>>

Event == [xid : Xids, seq : Nat, s : Secrets, op : Ops, ev : Nat, n : Nat]
SecretState == [vers : SUBSET (Nat \X Nat), tomb : Nat, latest : Nat]

TypeOK ==
    /\ nextXid \in 1..(MaxXid + 1)
    /\ nextSeq \in Nat \ {0}
    /\ status \in [Xids -> {"none", "active", "committed", "aborted"}]
    /\ log \subseteq Event
    /\ store \in [Secrets -> SecretState]
    /\ truncPos \in Nat \X Nat
    /\ gated \subseteq Xids \ ForeignXids
    /\ crashes \in 0..MaxCrashes
    /\ applied \in [Hosts -> Nat \X Nat]
    /\ hstate \in [Hosts -> [Secrets -> SecretState]]
    /\ \A h \in Hosts : batch[h] \in Seq(Event) /\ Len(batch[h]) <= BatchLimit
    /\ hz \in [Hosts -> 0..(MaxXid + 1)]
    /\ registered \subseteq Hosts /\ removed \subseteq Hosts
    /\ member \subseteq registered
    /\ registered \cap removed = {}
    /\ reported \in [Hosts -> Nat \X Nat]
    /\ watermark \in Nat \X Nat
    /\ active \subseteq log

-----------------------------------------------------------------------------
(* Derived views of the shard store.                                       *)

Committed(e)    == status[e.xid] = "committed"
CommittedEvents == {e \in log : Committed(e)}
InProgress      == {x \in Xids : status[x] = "active"}

\* The server's horizon: the smallest xid still in progress, writer's or
\* not, or the next xid to be assigned.  Every transaction with a smaller
\* xid has finished.
Horizon == IF InProgress = {} THEN nextXid ELSE MinNat(InProgress)

\* The log writers' horizon (log_writers_horizon()): the smallest xid of a
\* gate holder, or the next xid to be assigned.  A writer not in the gate
\* yet, or in it without an xid, takes an xid at or above the next one.
\* The function reads the next xid (its snapshot's xmax) and the holders'
\* xids at different instants; docs/replication.md argues that the result
\* is never above this atomic reading's for any writer still in flight.
GateHolders    == {x \in gated : status[x] = "active"}
WritersHorizon == IF GateHolders = {} THEN nextXid ELSE MinNat(GateHolders)

\* The reader's first query saw committed events at or above the server's
\* horizon (its held_back column).
HeldBack == \E e \in CommittedEvents : e.xid >= Horizon

\* The position of an event as the design under check sees it.  The naive
\* reader orders and compares by seq alone; <<0, seq>> encodes exactly that
\* in the lexicographic order of PositionOrder.
Key(e) == IF NaiveReader THEN <<0, e.seq>> ELSE <<e.xid, e.seq>>

EventAt(p) == CHOOSE e \in log : Key(e) = p

\* The row lock on secret s is held by active transaction x once x mutated s.
LockedBy(s, x) == status[x] = "active" /\ \E e \in log : e.xid = x /\ e.s = s
Own(x, s)      == {e \in log : e.xid = x /\ e.s = s}

\* Entity version / version number the next mutation of s by x builds on.
CurEv(x, s) == IF Own(x, s) = {} THEN store[s].latest
                                 ELSE MaxNat({e.ev : e \in Own(x, s)})
CurN(x, s)  == Cardinality({e \in CommittedEvents \cup Own(x, s) :
                               e.s = s /\ e.op = "PUT"})

\* The store's own semantics of a committed mutation.
StoreApply(st, e) ==
    IF e.op = "PUT"
        THEN [st EXCEPT ![e.s] = [vers   |-> @.vers \cup {<<e.n, e.ev>>},
                                  tomb   |-> @.tomb,
                                  latest |-> e.ev]]
        ELSE [st EXCEPT ![e.s] = [vers |-> {}, tomb |-> e.ev, latest |-> e.ev]]

RECURSIVE StoreApplyAll(_, _)
StoreApplyAll(st, S) ==
    IF S = {} THEN st
    ELSE LET e == CHOOSE e \in S : \A f \in S : e.seq <= f.seq
         IN  StoreApplyAll(StoreApply(st, e), S \ {e})

\* The store's state as the snapshot streams it (PostgresShardSnapshot): a
\* delete event per tombstone and a put event per live version.  Snapshot
\* events carry no log position; the host's apply rule needs none.
SnapshotEvents ==
    {[s |-> s, op |-> "DEL", ev |-> store[s].tomb, n |-> 0] :
        s \in {t \in Secrets : store[t].tomb > 0}}
    \cup UNION {{[s |-> s, op |-> "PUT", ev |-> v[2], n |-> v[1]] : v \in store[s].vers} :
                    s \in Secrets}

(* The host's apply rule (ReplicaStore#apply: RocksDbReplicaStore,         *)
(* InMemoryReplicaStore; "EventApplier" in the original plan).            *)
(* Commutative and idempotent: events of one secret may arrive in any ev   *)
(* order and more than once.                                               *)
HostApply(hs, e) ==
    LET cur == hs[e.s] IN
    IF LastWriterWinsApply THEN
        IF e.op = "PUT"
            THEN [hs EXCEPT ![e.s] = [vers   |-> cur.vers \cup {<<e.n, e.ev>>},
                                      tomb   |-> cur.tomb,
                                      latest |-> e.ev]]
            ELSE [hs EXCEPT ![e.s] = [vers   |-> {},
                                      tomb   |-> e.ev,
                                      latest |-> e.ev]]
    ELSE
        IF e.op = "PUT"
            THEN [hs EXCEPT ![e.s] =
                    [vers   |-> IF e.ev > cur.tomb THEN cur.vers \cup {<<e.n, e.ev>>}
                                                   ELSE cur.vers,
                     tomb   |-> cur.tomb,
                     latest |-> Max(cur.latest, e.ev)]]
            ELSE [hs EXCEPT ![e.s] =
                    [vers   |-> {v \in cur.vers : v[2] > e.ev},
                     tomb   |-> Max(cur.tomb, e.ev),
                     latest |-> Max(cur.latest, e.ev)]]

RECURSIVE HostApplySeq(_, _)
HostApplySeq(hs, es) ==
    IF es = << >> THEN hs ELSE HostApplySeq(HostApply(hs, Head(es)), Tail(es))

RECURSIVE HostApplySet(_, _)
HostApplySet(hs, S) ==
    IF S = {} THEN hs
    ELSE LET e == CHOOSE e \in S : TRUE
         IN  HostApplySet(HostApply(hs, e), S \ {e})

\* The effect of event e is present in host state hs: applied or superseded.
Reflected(hs, e) ==
    /\ hs[e.s].latest >= e.ev
    /\ IF e.op = "PUT"
          THEN <<e.n, e.ev>> \in hs[e.s].vers \/ hs[e.s].tomb > e.ev
          ELSE hs[e.s].tomb >= e.ev

-----------------------------------------------------------------------------
(* Derived views of the hosts.                                             *)

\* The log may have lost events the host still needs: the reader refuses to
\* read (LogTruncatedException) and the host bootstraps.
Behind(h) == PosLt(applied[h], truncPos)

\* What the reader's single query returns (before LIMIT): committed events
\* above the applied position that are still in the log and, for the real
\* design, below the horizon.
ReadableBelow(h, limit) ==
    {e \in CommittedEvents :
        /\ PosLt(applied[h], Key(e))
        /\ PosLt(truncPos, Key(e))
        /\ NaiveReader \/ e.xid < limit}

Readable(h) == ReadableBelow(h, Horizon)

\* A host that runs: every host but the removed ones.  A host that has not
\* registered yet tails the log too.
Live(h) == h \notin removed

\* Where a bootstrap snapshot starts tailing.
StartPos == IF NaiveReader
                THEN <<0, IF CommittedEvents = {} THEN 0
                          ELSE MaxNat({e.seq : e \in CommittedEvents})>>
                ELSE <<WritersHorizon, 0>>

-----------------------------------------------------------------------------
(* Initial state: empty log; every host empty at <<0, 0>>; the initial     *)
(* hosts are MEMBERs, the others have not registered yet.                  *)

Init ==
    /\ nextXid    = 1
    /\ nextSeq    = 1
    /\ status     = [x \in Xids |-> "none"]
    /\ log        = {}
    /\ store      = EmptyState
    /\ truncPos   = NoPos
    /\ gated      = {}
    /\ crashes    = 0
    /\ applied    = [h \in Hosts |-> NoPos]
    /\ hstate     = [h \in Hosts |-> EmptyState]
    /\ batch      = [h \in Hosts |-> << >>]
    /\ hz         = [h \in Hosts |-> 0]
    /\ registered = InitialHosts
    /\ member     = InitialHosts
    /\ removed    = {}
    /\ reported   = [h \in Hosts |-> NoPos]
    /\ watermark  = NoPos
    /\ active     = {}

-----------------------------------------------------------------------------
(* Writer transactions in the shard store (PostgresLogWriter).             *)

\* A transaction writes for the first time and is assigned the next xid.  A
\* log writer entered the gate just before (log_writer_gate()); in between
\* it held the gate without an xid, which no step of a reader can tell from
\* not holding it, so the two are one step here.
Begin ==
    /\ nextXid <= MaxXid
    /\ status'  = [status EXCEPT ![nextXid] = "active"]
    /\ nextXid' = nextXid + 1
    /\ gated'   = IF nextXid \in ForeignXids \/ GateAfterXid THEN gated
                  ELSE gated \cup {nextXid}
    /\ UNCHANGED <<nextSeq, log, store, truncPos, hostVars, controlVars>>

\* The broken design only: a writer enters the gate once it has an xid.
EnterGate(x) ==
    /\ GateAfterXid
    /\ status[x] = "active"
    /\ x \notin ForeignXids \cup gated
    /\ gated' = gated \cup {x}
    /\ UNCHANGED <<nextXid, nextSeq, status, log, store, truncPos, hostVars, controlVars>>

\* Transaction x mutates secret s under its row lock and appends the event.
Mutate(x, s, op) ==
    /\ status[x] = "active"
    \* the database refuses an append outside the gate
    /\ x \in gated
    /\ Cardinality({e \in log : e.xid = x}) < MaxOpsPerTxn
    /\ \A y \in Xids \ {x} : ~LockedBy(s, y)
    \* deleting a secret that has no live version writes no event
    /\ op = "DEL" => StoreApplyAll(store, Own(x, s))[s].vers # {}
    /\ LET ev == CurEv(x, s) + 1
           n  == IF op = "PUT" THEN CurN(x, s) + 1 ELSE 0
       IN  log' = log \cup {[xid |-> x, seq |-> nextSeq, s |-> s,
                             op |-> op, ev |-> ev, n |-> n]}
    /\ nextSeq' = nextSeq + 1
    /\ UNCHANGED <<nextXid, status, store, truncPos, gated, hostVars, controlVars>>

\* A writer commits what it appended; a foreign transaction commits nothing
\* the log sees.
Commit(x) ==
    /\ status[x] = "active"
    /\ x \in ForeignXids \/ \E e \in log : e.xid = x
    /\ status' = [status EXCEPT ![x] = "committed"]
    /\ store'  = StoreApplyAll(store, {e \in log : e.xid = x})
    /\ UNCHANGED <<nextXid, nextSeq, log, truncPos, gated, hostVars, controlVars>>

\* Rolled-back rows are gone; their seq values are simply never seen.
Abort(x) ==
    /\ status[x] = "active"
    /\ status' = [status EXCEPT ![x] = "aborted"]
    /\ log'    = {e \in log : e.xid # x}
    /\ UNCHANGED <<nextXid, nextSeq, store, truncPos, gated, hostVars, controlVars>>

-----------------------------------------------------------------------------
(* Data-plane hosts.                                                       *)

\* The first BatchLimit events of r in position order.
FirstEvents(r) ==
    LET ps == FirstPositions({Key(e) : e \in r}, BatchLimit)
    IN  [i \in 1..Len(ps) |-> EventAt(ps[i])]

\* PostgresLogReader#read, first query: one atomic read of the server's
\* horizon and of the first BatchLimit readable events in position order.
Read(h) ==
    /\ h \notin removed
    /\ ~Behind(h)
    /\ batch[h] = << >>
    /\ hz[h] = 0
    /\ Readable(h) # {}
    /\ batch' = [batch EXCEPT ![h] = FirstEvents(Readable(h))]
    /\ UNCHANGED <<storeVars, crashes, applied, hstate, hz, controlVars>>

\* When the first query found events held back: a statement of its own reads
\* the log writers' horizon ...
ReadWritersHorizon(h) ==
    /\ ~ServerHorizonOnly
    /\ h \notin removed
    /\ ~Behind(h)
    /\ batch[h] = << >>
    /\ hz[h] = 0
    /\ HeldBack
    /\ hz' = [hz EXCEPT ![h] = WritersHorizon]
    /\ UNCHANGED <<storeVars, crashes, applied, hstate, batch, controlVars>>

\* ... and a later one, with a later snapshot, the events below it.  Any
\* number of steps of anyone may come between the two.
ReadBelow(h) ==
    /\ hz[h] # 0
    /\ ~Behind(h)
    /\ batch' = [batch EXCEPT ![h] = FirstEvents(ReadableBelow(h, hz[h]))]
    /\ hz'    = [hz EXCEPT ![h] = 0]
    /\ UNCHANGED <<storeVars, crashes, applied, hstate, controlVars>>

\* ReplicaStore#apply: the batch and the new applied position in one atomic
\* write to the host's local store.
Apply(h) ==
    /\ batch[h] # << >>
    /\ hstate'  = [hstate  EXCEPT ![h] = HostApplySeq(hstate[h], batch[h])]
    /\ applied' = [applied EXCEPT ![h] = PosMax(applied[h], Key(batch[h][Len(batch[h])]))]
    /\ batch'   = [batch   EXCEPT ![h] = << >>]
    /\ UNCHANGED <<storeVars, crashes, hz, controlVars>>

\* A crash and restart of the host process.  It loses volatile state only:
\* the batch read but not yet applied.  The durable store and the applied
\* position survive (they are written together, atomically).  The downtime
\* itself needs no state of its own: a host that is down is a host whose
\* steps are not scheduled, and a crash with nothing volatile to lose is
\* indistinguishable from such a pause, so only crashes that lose a batch
\* (here) or interrupt a bootstrap (CrashInBootstrap) are modelled.
Crash(h) ==
    /\ batch[h] # << >> \/ hz[h] # 0
    /\ crashes < MaxCrashes
    /\ batch'   = [batch EXCEPT ![h] = << >>]
    /\ hz'      = [hz EXCEPT ![h] = 0]
    /\ crashes' = crashes + 1
    /\ UNCHANGED <<storeVars, applied, hstate, controlVars>>

\* SnapshotBootstrap, for a host behind the truncation point (a new host
\* that finds the log truncated included).  One consistent snapshot
\* (REPEATABLE READ) of the committed store state, taken after a statement
\* that read the log writers' horizon H, is merged into the replica with
\* the normal apply rule, and the applied position moves to <<H, 0>>.  An
\* empty shard leaves the position alone.
Bootstrap(h) ==
    /\ h \notin removed
    /\ Behind(h)
    /\ hstate'  = [hstate  EXCEPT ![h] = HostApplySet(hstate[h], SnapshotEvents)]
    /\ applied' = [applied EXCEPT ![h] =
                      IF SnapshotEvents = {} THEN applied[h]
                                             ELSE PosMax(applied[h], StartPos)]
    /\ batch'   = [batch   EXCEPT ![h] = << >>]
    /\ hz'      = [hz      EXCEPT ![h] = 0]
    /\ UNCHANGED <<storeVars, crashes, controlVars>>

\* SnapshotBootstrap applies the snapshot in chunks at the replica's old
\* position and moves the position only with the last chunk.  A crash part
\* way leaves some of the snapshot merged, the position unchanged -- still
\* behind the truncation point, so the host bootstraps again.
CrashInBootstrap(h) ==
    /\ h \notin removed
    /\ Behind(h)
    /\ crashes < MaxCrashes
    /\ \E part \in SUBSET SnapshotEvents :
           /\ part # {} /\ part # SnapshotEvents
           /\ hstate' = [hstate EXCEPT ![h] = HostApplySet(hstate[h], part)]
    /\ crashes' = crashes + 1
    /\ UNCHANGED <<storeVars, applied, batch, hz, controlVars>>

\* PositionReporter: a registered host reports its applied position to the
\* shard store.  Reports lag: this is a separate step, taken whenever.
Report(h) ==
    /\ h \in registered
    /\ reported[h] # applied[h]
    /\ reported' = [reported EXCEPT ![h] = applied[h]]
    /\ UNCHANGED <<storeVars, hostVars, registered, member, removed, watermark, active>>

-----------------------------------------------------------------------------
(* Control plane (PostgresCellMembership).                                 *)

\* A new host registers as JOINING with the position its replica holds.
Register(h) ==
    /\ h \notin registered \cup removed
    /\ registered' = registered \cup {h}
    /\ reported'   = [reported EXCEPT ![h] = applied[h]]
    /\ UNCHANGED <<storeVars, hostVars, member, removed, watermark, active>>

\* Explicit operator action; the host is shut down for good.  A member is
\* removed only while another member remains: with no member, nothing can
\* be promoted until a joiner registers, which nobody forces.
Remove(h) ==
    /\ AllowRemoval
    /\ h \in registered
    /\ member \ {h} # {}
    /\ registered' = registered \ {h}
    /\ member'     = member \ {h}
    /\ removed'    = removed \cup {h}
    /\ batch'      = [batch EXCEPT ![h] = << >>]
    /\ hz'         = [hz EXCEPT ![h] = 0]
    /\ UNCHANGED <<storeVars, crashes, applied, hstate, reported, watermark, active>>

\* ActivationPromoter / PostgresCellMembership#promote, one round in one
\* transaction: JOINING hosts that reported at least the watermark become
\* MEMBERs; then every PENDING version at or below the lowest member's
\* reported position becomes ACTIVE and the watermark moves there.
\* JOINING hosts do not hold activation back.
Admitted == {h \in registered \ member :
                AdmitJoinersEagerly \/ PosLeq(watermark, reported[h])}

Promote ==
    LET members == member \cup Admitted
        upTo    == IF members = {} THEN watermark
                   ELSE MinPos({reported[h] : h \in members})
        moves   == members # {} /\ PosLeq(watermark, upTo)
        newly   == IF moves
                      THEN {e \in CommittedEvents \ active :
                               e.op = "PUT" /\ PosLeq(Key(e), upTo)}
                      ELSE {}
        mark    == IF moves THEN upTo ELSE watermark
    IN  /\ Admitted # {} \/ newly # {} \/ mark # watermark
        /\ member'    = members
        /\ active'    = active \cup newly
        /\ watermark' = mark
        /\ UNCHANGED <<storeVars, hostVars, registered, removed, reported>>

\* LogTruncator / PostgresLogTruncation: delete log rows at or below the
\* minimum reported position over all registered hosts, JOINING included,
\* and record the highest deleted position as the truncation point.  Which
\* rows are old enough (the retention window) is arbitrary, so the new
\* truncation point is any event position up to that minimum.
Truncate ==
    LET m == MinPos({reported[h] : h \in registered})
    IN  \E p \in {Key(e) : e \in log} :
           /\ PosLt(truncPos, p)
           /\ PosLeq(p, m)
           /\ truncPos' = p
           /\ UNCHANGED <<nextXid, nextSeq, status, log, store, gated, hostVars, controlVars>>

-----------------------------------------------------------------------------

Next ==
    \/ Begin
    \/ \E x \in Xids : EnterGate(x)
    \/ \E x \in Xids, s \in Secrets, op \in Ops : Mutate(x, s, op)
    \/ \E x \in Xids : Commit(x) \/ Abort(x)
    \/ \E h \in Hosts : \/ Read(h) \/ ReadWritersHorizon(h) \/ ReadBelow(h)
                        \/ Apply(h) \/ Crash(h)
                        \/ Bootstrap(h) \/ CrashInBootstrap(h)
                        \/ Report(h) \/ Register(h) \/ Remove(h)
    \/ Promote
    \/ Truncate

\* Weak fairness: writers finish (statement timeouts), a writer's gate is
\* entered, and the reader/applier, bootstrap, reporting and promotion
\* loops keep running.  A foreign transaction may stay open for ever.
\* Registration, removal, crashes and truncation are never forced to happen.
Fairness ==
    /\ \A x \in Xids \ ForeignXids : /\ WF_vars(Commit(x) \/ Abort(x))
                                   /\ WF_vars(EnterGate(x))
    /\ \A h \in Hosts : /\ WF_vars(Read(h))
                        /\ WF_vars(ReadWritersHorizon(h))
                        /\ WF_vars(ReadBelow(h))
                        /\ WF_vars(Apply(h))
                        /\ WF_vars(Bootstrap(h))
                        /\ WF_vars(Report(h))
    /\ WF_vars(Promote)

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
(* Safety.                                                                 *)

\* (1) No committed event at or below a host's applied position is missing
\* from the host's state: it has been applied or is superseded.
NoSkip ==
    \A h \in Hosts : \A e \in CommittedEvents :
        PosLeq(Key(e), applied[h]) => Reflected(hstate[h], e)

\* (2) A host's per-secret latest-ev never decreases (an action property).
NoRegress ==
    [][\A h \in Hosts, s \in Secrets :
          hstate'[h][s].latest >= hstate[h][s].latest]_vars

\* (3) A version marked ACTIVE has been applied on every host that counts
\* for activation (every MEMBER).  A JOINING host counts from the moment it
\* is admitted; a removed host no longer counts.
ActiveImpliesApplied ==
    \A e \in active : \A h \in member : Reflected(hstate[h], e)

\* (4) At quiescence -- no writer in progress and every live host has
\* applied everything it can read -- each live host's state is the store's.
Quiescent ==
    /\ GateHolders = {}
    /\ \A x \in Xids \ ForeignXids : status[x] # "active"
    /\ \A h \in Hosts :
          Live(h) => /\ batch[h] = << >>
                     /\ hz[h] = 0
                     /\ ~Behind(h)
                     /\ ReadableBelow(h, WritersHorizon) = {}

Convergence == Quiescent => \A h \in Hosts : Live(h) => hstate[h] = store

\* Auxiliary: reports lag the applied position, never lead it.
ReportedLeqApplied == \A h \in registered : PosLeq(reported[h], applied[h])

\* Auxiliary: the log is never truncated past an unfinished writer, so a
\* bootstrap start position <<H, 0>> is never behind the truncation.  (The
\* server's horizon gives no such bound: hosts read past a foreign xid.)
TruncationBelowHorizon == NaiveReader \/ PosLeq(truncPos, <<WritersHorizon, 0>>)

\* Auxiliary: why (3) holds -- every member reported at least the
\* watermark, and every ACTIVE version is at or below it.
MembersAtWatermark ==
    /\ \A h \in member : PosLeq(watermark, reported[h])
    /\ \A e \in active : PosLeq(Key(e), watermark)

\* Symmetry reduction for safety-only configs in which all hosts are alike
\* (TLC's symmetry reduction is not sound for liveness).
HostAndSecretSymmetry == Permutations(Hosts) \cup Permutations(Secrets)
SecretSymmetry        == Permutations(Secrets)

-----------------------------------------------------------------------------
(* Liveness.                                                               *)
(*                                                                         *)
(* Every behaviour of the bounded model is finite: each step strictly      *)
(* increases the bounded lexicographic measure <<nextXid, nextSeq,         *)
(* finished transactions, truncPos, removed, registered, member, active,   *)
(* watermark, reported, crashes, applied, batch held>>: Remove shrinks     *)
(* registered and member but grows removed first; Apply and Crash empty    *)
(* the batch but raise applied or crashes first; a Bootstrap that changes  *)
(* anything raises applied (an empty snapshot changes nothing).  So every  *)
(* behaviour ends stuttering in a final state, and a leads-to "P ~> Q"     *)
(* with stable P and Q (committed, applied and active are) holds iff the   *)
(* final state satisfies P => Q.  The configs therefore check the cheaper  *)
(* <>[] forms; the leads-to forms below are equivalent here and can be     *)
(* checked by hand: they pass on Replication.cfg, at about 5 times the CPU. *)

\* Every event of transaction x is at or below h's applied position and
\* reflected in h's state.
AppliedOn(h, x) ==
    \A e \in log : e.xid = x => /\ PosLeq(Key(e), applied[h])
                                /\ Reflected(hstate[h], e)

\* Every committed event is eventually applied on every registered host.
AllCommittedApplied ==
    \A h \in registered, x \in Xids : status[x] = "committed" => AppliedOn(h, x)

EventuallyAllApplied == <>[]AllCommittedApplied

\* Every committed version eventually becomes ACTIVE, and every registered
\* host eventually becomes a MEMBER.
AllCommittedActive ==
    /\ \A e \in CommittedEvents : e.op = "PUT" => e \in active
    /\ member = registered

EventuallyAllActive == <>[]AllCommittedActive

\* The leads-to forms.
EventuallyApplied ==
    \A h \in Hosts, x \in Xids :
        (status[x] = "committed" /\ h \in registered)
            ~> (h \in removed \/ AppliedOn(h, x))

EventuallyActive ==
    \A x \in Xids :
        status[x] = "committed"
            ~> \A e \in log : (e.xid = x /\ e.op = "PUT") => e \in active

EventuallyMember ==
    \A h \in Hosts : h \in registered ~> (h \in member \/ h \in removed)
=============================================================================
