package dev.coffer.dataplane.read;

import dev.coffer.core.crypto.SecretCrypto;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.read.RevealedSecret;
import dev.coffer.core.read.SecretReads;
import dev.coffer.core.storage.SecretReadAccessor;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** A host's reads, from the accessor its configuration chose. */
public final class ReadService {
  private final SecretReadAccessor accessor;
  private final SecretReads reads;
  private final String servedFrom;

  public ReadService(SecretReadAccessor accessor, SecretCrypto crypto, String servedFrom) {
    this.accessor = accessor;
    this.reads = new SecretReads(accessor, crypto);
    this.servedFrom = servedFrom;
  }

  public RevealedSecret get(VaultName vault, SecretName secret, OptionalLong version) {
    return reads.read(vault, secret, version);
  }

  public List<SecretMetadata> list(VaultName vault, Optional<SecretName> after, int limit) {
    return reads.list(vault, after, limit);
  }

  public LogPosition position() {
    return accessor.position();
  }

  public String servedFrom() {
    return servedFrom;
  }
}
