/** Secret writes and reads on the control plane, always against the vault's shard store. */
package dev.coffer.controlplane.secret;
