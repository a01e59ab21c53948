/**
 * Fixtures of the replication tests: shard databases and raw log access, a labelling sealer, and
 * readers and data sources that count what a test needs to see.
 */
package dev.coffer.replication.testing;
