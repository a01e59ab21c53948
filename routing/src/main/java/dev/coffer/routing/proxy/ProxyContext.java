package dev.coffer.routing.proxy;

import dev.coffer.routing.health.Upstreams;
import dev.coffer.routing.table.RoutingTable;

/** What every client connection of one router shares. */
record ProxyContext(
    RoutingTable table,
    Upstreams upstreams,
    UpstreamPools pools,
    ProxySettings settings,
    RouterMetrics metrics,
    RequestIds requestIds) {}
