/**
 * The control plane's JAX-RS resources: secret writes, vault and key administration, the key audit
 * trail and the shards' view, translating HTTP to the services; and the check of body encoding.
 */
package dev.coffer.controlplane.resources;
