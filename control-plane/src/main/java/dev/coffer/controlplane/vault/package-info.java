/**
 * Vaults and their placement: creating and finding vaults, which shard holds each one, and which
 * shard stores answer, for placing new ones.
 */
package dev.coffer.controlplane.vault;
