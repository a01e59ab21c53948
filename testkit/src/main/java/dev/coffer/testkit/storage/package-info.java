/**
 * The {@link dev.coffer.core.storage.ReplicaStore} contract, written once and run against every
 * store, with its events, histories and the observable state stores are compared by; and {@link
 * dev.coffer.testkit.storage.InMemoryReplicaStore}, the heap-only reference store, written to be
 * obviously correct rather than fast: the model persistent stores are checked against.
 */
package dev.coffer.testkit.storage;
