package dev.coffer.pki.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Offers the newest loaded key and chain. Aliases are {@code coffer-<generation>}, so the key and
 * chain asked for after an alias was chosen are those of the generation chosen.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
  static final String ALIAS_PREFIX = "coffer-";

  private final MaterialHolder material;

  ReloadingKeyManager(MaterialHolder material) {
    this.material = material;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return material.current().keyManager().getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return material.current().keyManager().chooseClientAlias(keyType, issuers, socket);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return material.current().keyManager().chooseEngineClientAlias(keyType, issuers, engine);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return material.current().keyManager().getServerAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return material.current().keyManager().chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return material.current().keyManager().chooseEngineServerAlias(keyType, issuers, engine);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    TlsMaterial chosen = material.forAlias(alias);
    return chosen == null ? null : chosen.chain().toArray(X509Certificate[]::new);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    TlsMaterial chosen = material.forAlias(alias);
    return chosen == null ? null : chosen.privateKey();
  }
}
