/**
 * Each shard's cell of data-plane hosts as the control plane sees it: hosts that stopped reporting.
 */
package dev.coffer.controlplane.cell;
