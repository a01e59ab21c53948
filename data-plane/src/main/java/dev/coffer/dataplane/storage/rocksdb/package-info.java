/**
 * The data plane's local replica in RocksDB. All {@code org.rocksdb} types stay inside this
 * package, so the rest of the data plane sees only {@link dev.coffer.core.storage.ReplicaStore}.
 */
package dev.coffer.dataplane.storage.rocksdb;
