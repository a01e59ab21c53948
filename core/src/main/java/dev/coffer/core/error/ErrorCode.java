package dev.coffer.core.error;

/**
 * Stable, machine-readable error codes. Clients match on {@link #name()}; each {@link Category}
 * carries the one HTTP status its codes are sent with, whichever server sends them. Never rename a
 * constant or change a status: both are wire contract.
 */
public enum ErrorCode {
  MALFORMED_REQUEST(Category.INVALID),
  INVALID_VAULT_NAME(Category.INVALID),
  INVALID_SECRET_NAME(Category.INVALID),
  INVALID_SECRET_VALUE(Category.INVALID),
  SECRET_VALUE_TOO_LARGE(Category.TOO_LARGE),
  REQUEST_TOO_LARGE(Category.TOO_LARGE),
  /** The request line is longer than the server reads. */
  URI_TOO_LONG(Category.URI_TOO_LONG),
  /** The request body stopped arriving before it was complete (the server's idle timeout). */
  REQUEST_TIMEOUT(Category.REQUEST_TIMEOUT),
  /** The request's header fields are larger than the server reads. */
  HEADERS_TOO_LARGE(Category.HEADERS_TOO_LARGE),
  INVALID_VERSION(Category.INVALID),
  INVALID_REPLICATION_TOKEN(Category.INVALID),
  INVALID_SHARD(Category.INVALID),
  /** A stage that is not CURRENT, PREVIOUS or PENDING, or one a put cannot give. */
  INVALID_STAGE(Category.INVALID),
  UNAUTHENTICATED(Category.UNAUTHENTICATED),
  VAULT_NOT_FOUND(Category.NOT_FOUND),
  SECRET_NOT_FOUND(Category.NOT_FOUND),
  VERSION_NOT_FOUND(Category.NOT_FOUND),
  /** The secret exists, but no version holds the stage asked for (e.g. only a PENDING one). */
  NO_VERSION_IN_STAGE(Category.NOT_FOUND),
  NOT_FOUND(Category.NOT_FOUND),
  /** The vault has no key of that version (never made, or destroyed). */
  VAULT_KEY_VERSION_NOT_FOUND(Category.NOT_FOUND),
  METHOD_NOT_ALLOWED(Category.METHOD_NOT_ALLOWED),
  UNSUPPORTED_MEDIA_TYPE(Category.UNSUPPORTED_MEDIA_TYPE),
  /** A request body in a content coding other than gzip (or none). */
  UNSUPPORTED_CONTENT_ENCODING(Category.UNSUPPORTED_MEDIA_TYPE),
  NOT_ACCEPTABLE(Category.NOT_ACCEPTABLE),
  VAULT_ALREADY_EXISTS(Category.CONFLICT),
  WRONG_SHARD(Category.CONFLICT),
  /**
   * A vault key version cannot be destroyed: it is the primary, or secret versions are still sealed
   * under it.
   */
  VAULT_KEY_IN_USE(Category.CONFLICT),
  /** The vault holds as many key versions as it can; retired ones must be destroyed first. */
  VAULT_KEY_RING_FULL(Category.CONFLICT),
  STORE_UNAVAILABLE(Category.UNAVAILABLE),
  /** No root key provider could be reached, or a key has reached its usage limit. */
  KEY_UNAVAILABLE(Category.UNAVAILABLE),
  /** The server is starting or stopping and takes no requests. */
  SERVER_UNAVAILABLE(Category.UNAVAILABLE),
  /**
   * A router found no reachable data-plane host in the cell of the vault's shard; other cells'
   * vaults are unaffected.
   */
  CELL_UNAVAILABLE(Category.UNAVAILABLE),
  /** A router found no reachable control plane. */
  CONTROL_PLANE_UNAVAILABLE(Category.UNAVAILABLE),
  /**
   * A router's upstream answered something that is not HTTP, or dropped the connection after a
   * write was sent (so whether the write happened is unknown).
   */
  BAD_GATEWAY(Category.BAD_GATEWAY),
  /** A router's upstream did not answer in time. */
  GATEWAY_TIMEOUT(Category.GATEWAY_TIMEOUT),
  /** The request line names an HTTP version other than 1.0 or 1.1, or none (HTTP/0.9). */
  HTTP_VERSION_NOT_SUPPORTED(Category.HTTP_VERSION_NOT_SUPPORTED),
  DECRYPTION_FAILED(Category.INTERNAL),
  INTERNAL_ERROR(Category.INTERNAL);

  /** Groups of codes that share one HTTP status; this is the only code-to-status table. */
  public enum Category {
    INVALID(400),
    TOO_LARGE(413),
    REQUEST_TIMEOUT(408),
    URI_TOO_LONG(414),
    HEADERS_TOO_LARGE(431),
    UNAUTHENTICATED(401),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    UNSUPPORTED_MEDIA_TYPE(415),
    NOT_ACCEPTABLE(406),
    CONFLICT(409),
    UNAVAILABLE(503),
    BAD_GATEWAY(502),
    GATEWAY_TIMEOUT(504),
    HTTP_VERSION_NOT_SUPPORTED(505),
    INTERNAL(500);

    private final int status;

    Category(int status) {
      this.status = status;
    }

    /** The HTTP status every code in this category is sent with. */
    public int status() {
      return status;
    }
  }

  private final Category category;

  ErrorCode(Category category) {
    this.category = category;
  }

  public Category category() {
    return category;
  }

  /** The HTTP status this code is sent with. */
  public int status() {
    return category.status();
  }

  /**
   * Whether the server, not the request, is at fault (500, 502, 503 and 504: a router's upstream is
   * part of the server). A 505 is the client's choice of protocol, so it is not.
   */
  public boolean isServerFault() {
    return category == Category.INTERNAL
        || category == Category.UNAVAILABLE
        || category == Category.BAD_GATEWAY
        || category == Category.GATEWAY_TIMEOUT;
  }
}
