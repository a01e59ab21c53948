/**
 * What the router routes by: the {@link dev.coffer.routing.table.RoutingTable} seam and its
 * implementation over the replicated placements. Nothing here does I/O on a request's path.
 */
package dev.coffer.routing.table;
