package dev.coffer.routing.proxy;

import java.time.Duration;

/**
 * The data path's limits and timeouts.
 *
 * @param connectTimeout connecting to an upstream (and waiting for a pooled connection)
 * @param firstByteTimeout from the request written upstream to the first byte of the answer
 * @param requestTimeout from the whole request received to the whole answer sent, retries included
 * @param clientIdleTimeout a client connection with no request in progress is closed after this
 * @param clientRequestReadTimeout a request must arrive whole this long after its first byte (408)
 * @param upstreamIdleTimeout a pooled upstream connection unused this long is closed (keep it under
 *     the upstreams' own idle timeout, so that they rarely close one the router is about to use)
 * @param maxConnectionsPerUpstream per upstream and event loop; further requests wait for one
 * @param maxBodyBytes the request body cap, as the servers have it
 * @param preserveClientRequestId keep a well-formed {@code Coffer-Request-Id} a client sent
 */
public record ProxySettings(
    Duration connectTimeout,
    Duration firstByteTimeout,
    Duration requestTimeout,
    Duration clientIdleTimeout,
    Duration clientRequestReadTimeout,
    Duration upstreamIdleTimeout,
    int maxConnectionsPerUpstream,
    int maxBodyBytes,
    boolean preserveClientRequestId) {
  /** The request line and the header fields are each read up to this many bytes, as the servers. */
  public static final int MAX_REQUEST_LINE_BYTES = 8 * 1024;

  public static final int MAX_HEADER_BYTES = 8 * 1024;

  public ProxySettings {
    if (maxConnectionsPerUpstream < 1 || maxBodyBytes < 0) {
      throw new IllegalArgumentException("connections per upstream and the body cap are positive");
    }
  }
}
