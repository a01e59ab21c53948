package dev.coffer.core.error;

/**
 * The one domain exception. Its message is shown to clients, so it must be a human sentence that
 * never contains secret material, key material, SQL or a lower layer's message.
 */
public class CofferException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public CofferException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /** Keeps the cause for the server log; the cause's message is never shown to clients. */
  public CofferException(ErrorCode code, String message, Throwable cause) {
    super(message, cause, false, true);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
