/**
 * Fixtures of the replication tests: the shard store extension (the kit's database extension bound
 * to the shard schema), raw log access, a labelling sealer, and readers and data sources that count
 * what a test needs to see. Only replication's tests use them; shared fixtures are in the test kit.
 */
package dev.coffer.replication.testing;
