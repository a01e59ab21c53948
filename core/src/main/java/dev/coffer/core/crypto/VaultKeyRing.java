package dev.coffer.core.crypto;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Every version of one vault's key that may still be needed, as stored and replicated: the highest
 * version is the <em>primary</em>, which seals new secret versions; the lower ones are retired and
 * only open what was sealed under them until the rewrap job has moved it to the primary. A version
 * leaves the ring when it is destroyed, which storage allows only once nothing is sealed under it.
 *
 * <pre>
 *   u8 format (=3) | u8 count | count x ( u32 length | {@link WrappedVaultKey} bytes ), ascending
 * </pre>
 *
 * A vault stored before rotation existed holds a single wrapped key (a {@link VaultKeyBundle},
 * whose first byte is its format 2); it decodes as a ring of that one version, so stored data and
 * replicas need no migration.
 */
public record VaultKeyRing(List<WrappedVaultKey> versions) {
  static final int FORMAT = 3;

  /** One byte counts the versions; destroying retired versions makes room. */
  public static final int MAX_VERSIONS = 255;

  public VaultKeyRing {
    versions = List.copyOf(versions);
    if (versions.isEmpty() || versions.size() > MAX_VERSIONS) {
      throw new IllegalArgumentException("a vault key ring has 1 to 255 versions");
    }
    int previous = 0;
    for (WrappedVaultKey key : versions) {
      int version = key.version();
      if (version <= previous) {
        throw new IllegalArgumentException("vault key versions must ascend");
      }
      previous = version;
    }
  }

  /** A ring holding only {@code key}: a new vault. */
  public static VaultKeyRing of(WrappedVaultKey key) {
    return new VaultKeyRing(List.of(key));
  }

  /** The version that seals new secret versions. */
  public WrappedVaultKey primary() {
    return versions.get(versions.size() - 1);
  }

  public int primaryVersion() {
    return primary().version();
  }

  /** The version numbers in the ring, ascending. */
  public List<Integer> versionNumbers() {
    return versions.stream().map(WrappedVaultKey::version).toList();
  }

  public Optional<WrappedVaultKey> version(int version) {
    return versions.stream().filter(k -> k.version() == version).findFirst();
  }

  /**
   * This ring with {@code next} as its new primary.
   *
   * @throws IllegalArgumentException when {@code next} is not numbered above the primary
   * @throws CofferException VAULT_KEY_RING_FULL when the ring already holds {@value #MAX_VERSIONS}
   *     versions
   */
  public VaultKeyRing withPrimary(WrappedVaultKey next) {
    if (versions.size() == MAX_VERSIONS) {
      throw new CofferException(
          ErrorCode.VAULT_KEY_RING_FULL,
          "The vault already holds "
              + MAX_VERSIONS
              + " key versions; destroy retired versions before rotating again.");
    }
    List<WrappedVaultKey> grown = new ArrayList<>(versions);
    grown.add(next);
    return new VaultKeyRing(grown);
  }

  /**
   * This ring without {@code version}.
   *
   * @throws IllegalArgumentException when {@code version} is the primary or not in the ring
   */
  public VaultKeyRing without(int version) {
    if (version == primaryVersion()) {
      throw new IllegalArgumentException("the primary version cannot leave the ring");
    }
    List<WrappedVaultKey> rest = versions.stream().filter(k -> k.version() != version).toList();
    if (rest.size() == versions.size()) {
      throw new IllegalArgumentException("no version " + version + " in the ring");
    }
    return new VaultKeyRing(rest);
  }

  /**
   * This ring with each version replaced by what {@code rewrap} returns for it: the same key
   * wrapped afresh (after a root key rotation or a recovery), so the version numbers stay.
   */
  public VaultKeyRing map(UnaryOperator<WrappedVaultKey> rewrap) {
    List<WrappedVaultKey> mapped = new ArrayList<>(versions.size());
    for (WrappedVaultKey key : versions) {
      WrappedVaultKey replacement = rewrap.apply(key);
      if (replacement.version() != key.version()) {
        throw new IllegalArgumentException("a rewrap must keep the vault key version");
      }
      mapped.add(replacement);
    }
    return new VaultKeyRing(mapped);
  }

  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeByte(versions.size());
      for (WrappedVaultKey key : versions) {
        byte[] encoded = key.bytes();
        out.writeInt(encoded.length);
        out.write(encoded);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * @throws CofferException DECRYPTION_FAILED when the bytes are neither a ring nor a single
   *     wrapped vault key
   */
  public static VaultKeyRing decode(byte[] encoded) {
    try {
      if (encoded.length > 0 && encoded[0] == VaultKeyBundle.FORMAT) {
        return of(new WrappedVaultKey(encoded));
      }
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
        int format = in.readUnsignedByte();
        if (format != FORMAT) {
          throw new IllegalArgumentException("unknown vault key ring format " + format);
        }
        int count = in.readUnsignedByte();
        List<WrappedVaultKey> versions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          int length = in.readInt();
          if (length < 0 || length > in.available()) {
            throw new IllegalArgumentException("truncated vault key ring");
          }
          byte[] key = new byte[length];
          in.readFully(key);
          versions.add(new WrappedVaultKey(key));
        }
        if (in.available() != 0) {
          throw new IllegalArgumentException("trailing bytes after the vault key ring");
        }
        return new VaultKeyRing(versions);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new CofferException(ErrorCode.DECRYPTION_FAILED, "A stored vault key is corrupt.", e);
    }
  }

  @Override
  public String toString() {
    return "VaultKeyRing" + versionNumbers();
  }
}
