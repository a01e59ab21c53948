--------------------------- MODULE VaultKeyRotation ---------------------------
(***************************************************************************)
(* Vault key rotation on one vault of one shard store (docs/key-rotation.md). *)
(*                                                                         *)
(* The vault's key ring is a set of key versions; the highest is the       *)
(* primary. Each put locks the vault row FOR KEY SHARE and reads the ring   *)
(* in one step (PostgreSQL re-reads a row changed since the statement's     *)
(* snapshot before locking it), seals its data key under the primary, and  *)
(* holds the lock until it commits its row. A rotation adds a version and  *)
(* (re)starts the rewrap; the rewrap moves committed rows to the target in *)
(* passes; the end of a pass, and the destruction of a retired version,    *)
(* count rows under a FOR UPDATE lock on the vault row, which waits for    *)
(* every put holding its share lock. A reader reads the ring, then a row,  *)
(* and reads the ring once more if the row's version is not in the first.  *)
(*                                                                         *)
(* Hosts need no separate model: they apply the log in position order, and *)
(* every step here that depends on another commits after it and so has the *)
(* higher transaction id (a rewrap reads the ring a rotation committed; a  *)
(* destruction counts rows the rewraps and puts committed). A host's       *)
(* states are therefore store states in this order, and a host read is a   *)
(* read of them.                                                           *)
(*                                                                         *)
(* Design switches for the broken variants:                                *)
(*   LockedProof = FALSE: count without waiting for puts in flight;        *)
(*   RereadRing  = FALSE: a reader trusts the ring it read first.          *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
    Puts,          \* the put transactions, e.g. {p1, p2, p3}
    MaxVersion,    \* key versions 1..MaxVersion; rotations stop there
    LockedProof,
    RereadRing

VARIABLES
    ring,       \* key versions in the vault's ring (committed)
    target,     \* the rewrap's target version, 0 before any rotation
    finished,   \* the rewrap to target has been proved finished
    scanned,    \* puts whose rows the current pass has gone by
    putState,   \* "idle", "sealed" (holds the share lock), "done"
    putKey,     \* the version a put sealed under
    rows,       \* the committed rows: put -> version wrapping its data key, 0 = none
    readerRing, \* the ring the reader read first, {} when idle
    failedRead  \* a read met a data key its rings could not open

vars == <<ring, target, finished, scanned, putState, putKey, rows, readerRing, failedRead>>

Versions == 1..MaxVersion
Max(S) == CHOOSE x \in S : \A y \in S : y <= x
Primary == Max(ring)
NoPutInFlight == \A p \in Puts : putState[p] # "sealed"
ProofMayRun == LockedProof => NoPutInFlight

TypeOK ==
    /\ ring \subseteq Versions /\ ring # {}
    /\ target \in 0..MaxVersion
    /\ finished \in BOOLEAN
    /\ scanned \subseteq Puts
    /\ putState \in [Puts -> {"idle", "sealed", "done"}]
    /\ putKey \in [Puts -> 0..MaxVersion]
    /\ rows \in [Puts -> 0..MaxVersion]
    /\ readerRing \subseteq Versions
    /\ failedRead \in BOOLEAN

Init ==
    /\ ring = {1}
    /\ target = 0
    /\ finished = FALSE
    /\ scanned = {}
    /\ putState = [p \in Puts |-> "idle"]
    /\ putKey = [p \in Puts |-> 0]
    /\ rows = [p \in Puts |-> 0]
    /\ readerRing = {}
    /\ failedRead = FALSE

\* Lock the vault row FOR KEY SHARE, read the ring, seal under the primary.
BeginPut(p) ==
    /\ putState[p] = "idle"
    /\ putState' = [putState EXCEPT ![p] = "sealed"]
    /\ putKey' = [putKey EXCEPT ![p] = Primary]
    /\ UNCHANGED <<ring, target, finished, scanned, rows, readerRing, failedRead>>

CommitPut(p) ==
    /\ putState[p] = "sealed"
    /\ putState' = [putState EXCEPT ![p] = "done"]
    /\ rows' = [rows EXCEPT ![p] = putKey[p]]
    /\ UNCHANGED <<ring, target, finished, scanned, putKey, readerRing, failedRead>>

\* FOR NO KEY UPDATE does not conflict with the puts' share locks.
Rotate ==
    /\ Primary < MaxVersion
    /\ ring' = ring \cup {Primary + 1}
    /\ target' = Primary + 1
    /\ finished' = FALSE
    /\ scanned' = {}
    /\ UNCHANGED <<putState, putKey, rows, readerRing, failedRead>>

\* One committed row the pass reaches, rewrapped under its secret's row lock.
Rewrap(p) ==
    /\ target # 0 /\ ~finished
    /\ p \notin scanned
    /\ rows[p] # 0
    /\ rows' = [rows EXCEPT ![p] = IF rows[p] < target THEN target ELSE rows[p]]
    /\ scanned' = scanned \cup {p}
    /\ UNCHANGED <<ring, target, finished, putState, putKey, readerRing, failedRead>>

\* A batch that finds nothing after the bookmark: lock, count, finish or start a new pass.
EndPass ==
    /\ target # 0 /\ ~finished
    /\ ProofMayRun
    /\ IF \A p \in Puts : rows[p] = 0 \/ rows[p] >= target
          THEN finished' = TRUE /\ scanned' = scanned
          ELSE finished' = FALSE /\ scanned' = {}
    /\ UNCHANGED <<ring, target, putState, putKey, rows, readerRing, failedRead>>

Destroy(v) ==
    /\ v \in ring /\ v # Primary
    /\ ProofMayRun
    /\ \A p \in Puts : rows[p] # v
    /\ ring' = ring \ {v}
    /\ UNCHANGED <<target, finished, scanned, putState, putKey, rows, readerRing, failedRead>>

ReadRing ==
    /\ readerRing = {}
    /\ readerRing' = ring
    /\ UNCHANGED <<ring, target, finished, scanned, putState, putKey, rows, failedRead>>

ReadRow(p) ==
    /\ readerRing # {}
    /\ rows[p] # 0
    /\ failedRead' = (failedRead \/ ~(rows[p] \in readerRing \/ (RereadRing /\ rows[p] \in ring)))
    /\ readerRing' = {}
    /\ UNCHANGED <<ring, target, finished, scanned, putState, putKey, rows>>

Next ==
    \/ \E p \in Puts : BeginPut(p) \/ CommitPut(p) \/ Rewrap(p) \/ ReadRow(p)
    \/ Rotate
    \/ EndPass
    \/ \E v \in Versions : Destroy(v)
    \/ ReadRing

Spec == Init /\ [][Next]_vars

(***************************************************************************)
(* Invariants.                                                             *)
(***************************************************************************)

\* Every committed data key is wrapped by a version the vault still holds.
DataKeysOpenable == \A p \in Puts : rows[p] # 0 => rows[p] \in ring

\* A finished rewrap left nothing under an older version, and nothing can appear there later.
FinishedMeansDrained ==
    finished => \A p \in Puts : rows[p] = 0 \/ rows[p] >= target

NoFailedRead == ~failedRead

=============================================================================
