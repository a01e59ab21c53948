/**
 * Vault key rotation on a running control plane: a new primary version when asked or when due, the
 * background rewrap of old data keys, and the destruction of retired versions, all audited.
 */
package dev.coffer.controlplane.rotation;
