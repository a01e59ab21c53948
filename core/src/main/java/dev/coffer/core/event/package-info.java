/**
 * The replication log's events, each the full new state of one entity or its tombstone, and their
 * binary form in the log and the replica.
 */
package dev.coffer.core.event;
