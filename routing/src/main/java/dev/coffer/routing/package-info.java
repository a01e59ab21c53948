/**
 * The router: sends each client request to a data-plane host of its vault's cell (reads) or to a
 * control plane (everything else), from a local copy of the base store's placements. This package
 * holds the application and its configuration; the composition root is {@link
 * dev.coffer.routing.RouterApplication#run}.
 */
package dev.coffer.routing;
