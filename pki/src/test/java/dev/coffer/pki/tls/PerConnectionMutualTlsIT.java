package dev.coffer.pki.tls;

import dev.coffer.pki.tls.LoopbackTlsServer.Kind;

/** A TLS socket made from the reloading context for each accepted connection. */
class PerConnectionMutualTlsIT extends MutualTlsContract {
  @Override
  Kind kind() {
    return Kind.PER_CONNECTION;
  }
}
