package dev.coffer.core.api;

/** HTTP headers of Coffer's API. */
public final class Headers {
  /**
   * On write responses: the write's token. On reads: the token whose write the answer must include.
   */
  public static final String REPLICATION_TOKEN = "Coffer-Replication-Token";

  /** On data-plane read responses: the log position the answering state includes. */
  public static final String APPLIED_POSITION = "Coffer-Applied-Position";

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

  private Headers() {}
}
