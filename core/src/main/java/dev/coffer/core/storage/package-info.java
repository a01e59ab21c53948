/**
 * The narrow interfaces every store implements (shard store, replica, log, placement, audit trail),
 * with no database behind them: implementations live in {@code storage.memory} and other modules.
 */
package dev.coffer.core.storage;
