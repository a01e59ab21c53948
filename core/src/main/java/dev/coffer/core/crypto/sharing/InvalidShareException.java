package dev.coffer.core.crypto.sharing;

/**
 * A share, or a set of shares, that cannot give back the secret. The message says which share and
 * why, in words a custodian can act on; it never contains share bytes.
 */
public final class InvalidShareException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  InvalidShareException(String message) {
    super(message);
  }
}
