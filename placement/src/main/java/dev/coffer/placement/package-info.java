/**
 * The base store as a library for every application that needs it (control plane, router, migration
 * tools): which shards exist, which shard holds each vault, and a vault's shard store.
 */
package dev.coffer.placement;
