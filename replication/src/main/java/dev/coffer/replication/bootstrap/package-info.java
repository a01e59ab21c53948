/**
 * Bringing a replica up to a consistent snapshot of its shard, for a new host or one that fell
 * behind the log's truncation point.
 */
package dev.coffer.replication.bootstrap;
