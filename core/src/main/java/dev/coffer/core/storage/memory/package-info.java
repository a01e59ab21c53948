/**
 * A heap-only {@link dev.coffer.core.storage.ReplicaStore}, written to be obviously correct rather
 * than fast: it is the model that persistent stores are checked against.
 */
package dev.coffer.core.storage.memory;
