/**
 * Activation and log upkeep in the background: hosts report their applied positions, the control
 * plane promotes what every member has applied and truncates the log behind them.
 */
package dev.coffer.replication.activation;
