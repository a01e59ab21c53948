package dev.coffer.dataplane.read;

import dev.coffer.core.crypto.SecretCrypto;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.read.SecretReads;
import dev.coffer.core.storage.SecretReadAccessor;
import java.util.function.Function;

/** Decrypting reads of one store, each with the position its answer includes. */
final class StoreReads {
  private final SecretReadAccessor accessor;
  private final SecretReads reads;
  private final ServedFrom from;

  StoreReads(SecretReadAccessor accessor, SecretCrypto crypto, ServedFrom from) {
    this.accessor = accessor;
    this.reads = new SecretReads(accessor, crypto);
    this.from = from;
  }

  /**
   * The position is taken before the data: a store's state only moves forward, so the data then
   * includes at least that position. Taken after, it could claim a write the data missed.
   */
  <T> Served<T> answer(Function<SecretReads, T> read) {
    LogPosition position = accessor.position();
    return new Served<>(read.apply(reads), position, from);
  }

  LogPosition position() {
    return accessor.position();
  }
}
