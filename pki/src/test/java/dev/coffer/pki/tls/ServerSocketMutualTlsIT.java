package dev.coffer.pki.tls;

import dev.coffer.pki.tls.LoopbackTlsServer.Kind;

/** A server socket made once from the reloading context, kept across reloads. */
class ServerSocketMutualTlsIT extends MutualTlsContract {
  @Override
  Kind kind() {
    return Kind.SERVER_SOCKET;
  }
}
