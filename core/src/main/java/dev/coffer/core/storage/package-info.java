/**
 * The narrow interfaces every store implements (shard store, replica, log, placement, audit trail),
 * with no database behind them: implementations live in other modules (the in-memory reference
 * store, for tests, in the test kit).
 */
package dev.coffer.core.storage;
