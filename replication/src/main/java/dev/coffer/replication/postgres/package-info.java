/**
 * The shard store in PostgreSQL: data, replication log, cell membership and vault keys; the only
 * replication package that imports {@code org.jdbi} or Flyway, and no SQL error leaves it.
 */
package dev.coffer.replication.postgres;
