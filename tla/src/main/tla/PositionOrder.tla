--------------------------- MODULE PositionOrder ---------------------------
(***************************************************************************)
(* Log positions of Coffer's replication log.                              *)
(*                                                                         *)
(* A position is the pair <<xid, seq>> of an event row: the transaction id *)
(* of the writer transaction and the value the global sequence gave the    *)
(* row at insert time.  Positions are ordered lexicographically: first by  *)
(* xid, then by seq.  This is the order of the reader's                    *)
(* `ORDER BY xid, seq` and the order in which applied positions, reported  *)
(* positions and the truncation point are compared.                        *)
(*                                                                         *)
(* <<0, 0>> is below every real position (xids and seqs start at 1) and is *)
(* the applied position of a host that has applied nothing.                *)
(***************************************************************************)
EXTENDS Naturals, Sequences

NoPos == <<0, 0>>

PosLt(p, q)  == \/ p[1] < q[1]
                \/ /\ p[1] = q[1]
                   /\ p[2] < q[2]

PosLeq(p, q) == PosLt(p, q) \/ p = q

PosMax(p, q) == IF PosLt(p, q) THEN q ELSE p

\* The smallest position of a non-empty finite set of positions.
MinPos(S) == CHOOSE p \in S : \A q \in S : PosLeq(p, q)

\* The largest position of a non-empty finite set of positions.
MaxPos(S) == CHOOSE p \in S : \A q \in S : PosLeq(q, p)

\* The at most k smallest positions of S, as a sequence in ascending order:
\* what `WHERE pos > applied ORDER BY xid, seq LIMIT k` returns.
RECURSIVE FirstPositions(_, _)
FirstPositions(S, k) ==
    IF S = {} \/ k = 0
        THEN << >>
        ELSE LET m == MinPos(S)
             IN  <<m>> \o FirstPositions(S \ {m}, k - 1)

(***************************************************************************)
(* Sanity checks of the order itself, evaluated by TLC when the module is  *)
(* loaded: on a small domain PosLt is a strict total order.                *)
(***************************************************************************)
LOCAL Domain == (0..2) \X (0..2)
ASSUME \A p, q \in Domain : PosLt(p, q) \/ PosLt(q, p) \/ p = q
ASSUME \A p, q \in Domain : ~(PosLt(p, q) /\ PosLt(q, p))
ASSUME \A p, q, r \in Domain : (PosLt(p, q) /\ PosLt(q, r)) => PosLt(p, r)
ASSUME \A p \in Domain : PosLeq(NoPos, p)
ASSUME FirstPositions({<<2, 1>>, <<1, 3>>, <<1, 2>>}, 2) = << <<1, 2>>, <<1, 3>> >>
=============================================================================
