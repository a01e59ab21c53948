package dev.coffer.pki.tls;

/**
 * The newest material and the one before it. A handshake picks an alias first and asks for its key
 * and chain afterwards; keeping the previous generation lets a handshake that straddles a reload
 * finish with the pair it chose instead of a mismatched one.
 */
final class MaterialHolder {
  private volatile TlsMaterial current;
  private volatile TlsMaterial previous;

  MaterialHolder(TlsMaterial initial) {
    this.current = initial;
  }

  TlsMaterial current() {
    return current;
  }

  synchronized void replace(TlsMaterial next) {
    previous = current;
    current = next;
  }

  /** The material whose alias is {@code alias}, if it is one of the two kept. */
  TlsMaterial forAlias(String alias) {
    TlsMaterial now = current;
    if (now.alias().equals(alias)) {
      return now;
    }
    TlsMaterial before = previous;
    return before != null && before.alias().equals(alias) ? before : null;
  }
}
