/**
 * The base store's log of placement changes: its events and their codec, and the replicas a process
 * (a router) keeps by tailing that log with the replication module's tailer.
 */
package dev.coffer.placement.log;
