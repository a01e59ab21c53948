package dev.coffer.routing.proxy;

import dev.coffer.core.api.Headers;
import dev.coffer.routing.table.Upstream;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which headers cross the router, each way. End-to-end headers pass unchanged ({@code
 * Authorization}, {@code Content-Type}, {@code Content-Encoding}, every {@code Coffer-*} header);
 * hop-by-hop headers (RFC 9110 §7.6.1, and any a {@code Connection} header names) stay on their
 * hop. The router sets {@code Host} to the upstream, the body's {@code Content-Length}, and its
 * request id; it drops {@code Expect} (it answered any {@code 100-continue} itself) and {@code
 * Accept-Encoding}, so no upstream compresses an answer (a secret beside client-chosen names is
 * what a compression side channel needs).
 */
final class ForwardedHeaders {
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  private static final Set<String> SET_BY_ROUTER_UPSTREAM =
      Set.of("host", "content-length", "expect", "accept-encoding", lower(Headers.REQUEST_ID));

  private ForwardedHeaders() {}

  /** The headers of a request forwarded to {@code upstream} with a body of {@code bodyLength}. */
  static HttpHeaders toUpstream(
      HttpHeaders client,
      Upstream upstream,
      String requestId,
      int bodyLength,
      boolean bodyAllowed) {
    Set<String> dropped = droppedBy(client);
    HttpHeaders forwarded = new DefaultHttpHeaders();
    forwarded.set(HttpHeaderNames.HOST, upstream.authority());
    for (Map.Entry<String, String> header : client) {
      String name = lower(header.getKey());
      if (!dropped.contains(name) && !SET_BY_ROUTER_UPSTREAM.contains(name)) {
        forwarded.add(header.getKey(), header.getValue());
      }
    }
    if (bodyLength > 0 || bodyAllowed) {
      forwarded.set(HttpHeaderNames.CONTENT_LENGTH, bodyLength);
    }
    forwarded.set(Headers.REQUEST_ID, requestId);
    return forwarded;
  }

  /**
   * The headers of an upstream's answer as the client gets them; framing ({@code Content-Length} or
   * chunked) and {@code Connection} are the caller's to set for the client's hop.
   */
  static HttpHeaders toClient(HttpHeaders upstream, String requestId) {
    Set<String> dropped = droppedBy(upstream);
    HttpHeaders forwarded = new DefaultHttpHeaders();
    for (Map.Entry<String, String> header : upstream) {
      String name = lower(header.getKey());
      if (!dropped.contains(name) && !name.equals(lower(Headers.REQUEST_ID))) {
        forwarded.add(header.getKey(), header.getValue());
      }
    }
    forwarded.set(Headers.REQUEST_ID, requestId);
    return forwarded;
  }

  /** The hop-by-hop headers, and those the message's {@code Connection} header names. */
  private static Set<String> droppedBy(HttpHeaders headers) {
    Set<String> dropped = new TreeSet<>(HOP_BY_HOP);
    for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : connection.split(",", -1)) {
        String name = lower(token.trim());
        if (!name.isEmpty()) {
          dropped.add(name);
        }
      }
    }
    return dropped;
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
