/**
 * A host's replication machinery: started and stopped in a fixed order, with its metrics and the
 * append-to-apply times of recent events.
 */
package dev.coffer.dataplane.replication;
