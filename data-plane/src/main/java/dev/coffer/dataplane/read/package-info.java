/**
 * A host's reads: from the replica or the shard store as configured, a presented token honoured
 * before answering, and metrics of where each read was answered and why.
 */
package dev.coffer.dataplane.read;
