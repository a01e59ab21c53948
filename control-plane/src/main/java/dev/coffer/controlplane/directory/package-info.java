/**
 * The control plane's part in routing: mirroring each shard's cell, and this instance, into the
 * base store's routing directory, from which routers learn where requests go.
 */
package dev.coffer.controlplane.directory;
