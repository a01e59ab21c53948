package dev.coffer.core.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** HTTP headers of Coffer's API. */
public final class Headers {
  /**
   * On write responses: the write's token. On reads: the token whose write the answer must include.
   */
  public static final String REPLICATION_TOKEN = "Coffer-Replication-Token";

  /**
   * On every request a router forwards and on its answer: the request's id, the same in the
   * router's and the upstream's logs. The router makes a fresh one unless told to keep a client's.
   */
  public static final String REQUEST_ID = "Coffer-Request-Id";

  /** On data-plane read responses: the log position the answering state includes. */
  public static final String APPLIED_POSITION = "Coffer-Applied-Position";

  /**
   * On every data-plane response: the id of the host that answered, so a client (or a test) behind
   * a router can tell which cell served it.
   */
  public static final String SERVED_BY = "Coffer-Served-By";

  /** On data-plane read responses: {@code local} or {@code remote}, the store that answered. */
  public static final String SERVED_FROM = "Coffer-Served-From";

  /**
   * On data-plane read responses to a read that presented a token the host had applied: {@code
   * apply;dur=<ms>}, the time from the token's write being appended to the shard's log to its apply
   * on this host (W3C Server Timing).
   */
  public static final String SERVER_TIMING = "Server-Timing";

  /** The {@link #SERVER_TIMING} metric name of that figure. */
  public static final String APPLY_TIMING = "apply";

  /**
   * What every response that may carry a secret, or echo a request, is sent with, in this order: no
   * cache anywhere keeps it and no browser sniffs its type. API responses, errors and the admin
   * port's pages all send exactly these.
   */
  public static final Map<String, String> UNCACHEABLE = uncacheable();

  private static Map<String, String> uncacheable() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Cache-Control", "no-store");
    headers.put("Pragma", "no-cache");
    headers.put("X-Content-Type-Options", "nosniff");
    return Collections.unmodifiableMap(headers);
  }

  private Headers() {}
}
