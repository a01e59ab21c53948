/**
 * The router's data path on Netty: the client-facing HTTP/1.1 server, the pooled keep-alive
 * connections to upstreams, and one {@link dev.coffer.routing.proxy.Exchange} per forwarded request
 * that owns its retries, timeouts and streaming. Everything of one request runs on the event loop
 * of its client connection: upstream connections are pooled per event loop, so no state is shared
 * between threads but the upstreams' health.
 */
package dev.coffer.routing.proxy;
