/**
 * Tailing a shard's log into a host's replica: reading after the replica's applied position and
 * applying in batches, woken by notifications and a timer.
 */
package dev.coffer.replication.apply;
