package dev.coffer.dataplane.read;

import dev.coffer.core.crypto.EnvelopeSecretCrypto;
import dev.coffer.core.crypto.LocalRootKeyProvider;
import dev.coffer.core.crypto.SecretIdentity;
import dev.coffer.core.crypto.WrappedVaultKey;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.event.PositionedEvent;
import dev.coffer.core.event.ReplicationEvent;
import dev.coffer.core.event.SecretDeleted;
import dev.coffer.core.event.SecretStagesChanged;
import dev.coffer.core.event.SecretVersionPut;
import dev.coffer.core.event.VaultCreated;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.ReplicationToken;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.SecretVersionRecord;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.model.VaultRecord;
import dev.coffer.core.storage.ReplicaStore;
import dev.coffer.core.storage.SecretReadAccessor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A shard's log for read tests: events with real envelope encryption, so that what a read returns
 * has really been decrypted, and each event's position, so that a test can apply any prefix of the
 * log to a replica and present the token of any write.
 */
final class ShardHistory {
  static final ShardId SHARD = ShardId.of("shard-1");
  private static final Instant BASE = Instant.parse("2030-01-01T00:00:00Z");

  final EnvelopeSecretCrypto crypto =
      new EnvelopeSecretCrypto(
          LocalRootKeyProvider.fromBase64("root-1", LocalRootKeyProvider.generateBase64Key()),
          Duration.ofMinutes(5));
  private final List<PositionedEvent> log = new ArrayList<>();
  private long entityVersion;

  /** Positions start at 100.0, one transaction each: the token of a write is its position. */
  private LogPosition append(ReplicationEvent event) {
    LogPosition position = new LogPosition(100 + log.size(), 0);
    log.add(new PositionedEvent(position, event));
    return position;
  }

  ReplicationToken createVault(VaultName vault) {
    return token(append(new VaultCreated(vault, 1, crypto.newVaultKey(vault), BASE)));
  }

  /** Versions are numbered by the caller, as the shard store would number them. */
  ReplicationToken put(VaultName vault, SecretName secret, long version, String value) {
    return put(vault, secret, version, value, new StageMap(version, 0, 0));
  }

  /** A put carrying the stage map the shard store computed for it. */
  ReplicationToken put(
      VaultName vault, SecretName secret, long version, String value, StageMap stages) {
    WrappedVaultKey key = vaultKey(vault);
    entityVersion++;
    return token(
        append(
            new SecretVersionPut(
                vault,
                secret,
                entityVersion,
                version,
                createdAt(version),
                crypto.seal(
                    new SecretIdentity(vault, secret, version), key, SecretValue.ofUtf8(value)),
                stages)));
  }

  /** A promotion: the new stage map, as the shard store appends it. */
  ReplicationToken stagesChanged(VaultName vault, SecretName secret, StageMap stages) {
    entityVersion++;
    return token(append(new SecretStagesChanged(vault, secret, entityVersion, stages, BASE)));
  }

  ReplicationToken delete(VaultName vault, SecretName secret) {
    entityVersion++;
    return token(append(new SecretDeleted(vault, secret, entityVersion, BASE)));
  }

  /** Applies every event so far that {@code replica} has not applied yet. */
  void applyAll(ReplicaStore replica) {
    List<PositionedEvent> pending =
        log.stream().filter(e -> !replica.appliedPosition().isAtLeast(e.position())).toList();
    replica.apply(pending);
  }

  static Instant createdAt(long version) {
    return BASE.plusSeconds(version);
  }

  private WrappedVaultKey vaultKey(VaultName vault) {
    return log.stream()
        .map(PositionedEvent::event)
        .filter(e -> e instanceof VaultCreated created && created.vault().equals(vault))
        .map(e -> ((VaultCreated) e).keys().primary())
        .findFirst()
        .orElseThrow();
  }

  private static ReplicationToken token(LogPosition position) {
    return new ReplicationToken(SHARD, position);
  }

  /** A shard store whose database is gone: every call fails as the PostgreSQL store would. */
  static final class Unavailable implements SecretReadAccessor {
    final AtomicInteger calls = new AtomicInteger();

    private CofferException fail() {
      calls.incrementAndGet();
      return new CofferException(
          ErrorCode.STORE_UNAVAILABLE,
          "The shard store is unavailable; reading the secret did not happen. Retry later.");
    }

    @Override
    public Optional<VaultRecord> vault(VaultName vault) {
      throw fail();
    }

    @Override
    public Optional<SecretVersionRecord> latest(VaultName vault, SecretName secret) {
      throw fail();
    }

    @Override
    public Optional<StageMap> stages(VaultName vault, SecretName secret) {
      throw fail();
    }

    @Override
    public Optional<SecretVersionRecord> version(VaultName vault, SecretName secret, long version) {
      throw fail();
    }

    @Override
    public List<SecretMetadata> list(VaultName vault, Optional<SecretName> after, int limit) {
      throw fail();
    }

    @Override
    public LogPosition position() {
      throw fail();
    }
  }

  /** Counts calls, to show which store a read touched. */
  static final class Counting implements SecretReadAccessor {
    final AtomicInteger calls = new AtomicInteger();
    private final SecretReadAccessor delegate;

    Counting(SecretReadAccessor delegate) {
      this.delegate = delegate;
    }

    @Override
    public Optional<VaultRecord> vault(VaultName vault) {
      calls.incrementAndGet();
      return delegate.vault(vault);
    }

    @Override
    public Optional<SecretVersionRecord> latest(VaultName vault, SecretName secret) {
      calls.incrementAndGet();
      return delegate.latest(vault, secret);
    }

    @Override
    public Optional<StageMap> stages(VaultName vault, SecretName secret) {
      calls.incrementAndGet();
      return delegate.stages(vault, secret);
    }

    @Override
    public Optional<SecretVersionRecord> version(VaultName vault, SecretName secret, long version) {
      calls.incrementAndGet();
      return delegate.version(vault, secret, version);
    }

    @Override
    public List<SecretMetadata> list(VaultName vault, Optional<SecretName> after, int limit) {
      calls.incrementAndGet();
      return delegate.list(vault, after, limit);
    }

    @Override
    public LogPosition position() {
      calls.incrementAndGet();
      return delegate.position();
    }
  }
}
