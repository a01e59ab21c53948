/**
 * What the router knows about its upstreams' health (active probes and passive ejection) and about
 * the freshness of its routing data, with the health checks that report both.
 */
package dev.coffer.routing.health;
