/**
 * The encryption seam: the only code in Coffer that sees key bytes.
 *
 * <h2>Hierarchy</h2>
 *
 * <pre>
 *   data key (one per secret version, AES-256)        value  = Envelope(data/v1, AAD = identity)
 *     └─ vault key version n (AES-256)                 dek    = Envelope(vault/&lt;vault&gt;/vn, AAD = identity)
 *          └─ every root key provider, active-active   bundle = WrappedVaultKey: one wrapping per
 *          └─ the recovery public key (RSA-OAEP)                root key id+version, plus recovery
 * </pre>
 *
 * <ul>
 *   <li>{@link dev.coffer.core.crypto.SecretCrypto} / {@link
 *       dev.coffer.core.crypto.EnvelopeSecretCrypto}: seal and open secret versions; unwrapped
 *       vault keys are cached for a bounded time and wiped when dropped.
 *   <li>{@link dev.coffer.core.crypto.RootOfTrust}: wraps each vault key version with every
 *       configured {@link dev.coffer.core.crypto.RootKeyProvider} and the {@link
 *       dev.coffer.core.crypto.RecoveryPublicKey}; unwraps through any provider that answers.
 *   <li>Providers: {@link dev.coffer.core.crypto.KeystoreRootKeyProvider} (PKCS#12 or BCFKS file),
 *       {@link dev.coffer.core.crypto.Pkcs11RootKeyProvider} (HSM through SunPKCS11, keys
 *       non-extractable), {@link dev.coffer.core.crypto.LocalRootKeyProvider} (development). A
 *       cloud KMS fits the same interface: its wrapping bytes are opaque to the rest.
 *   <li>{@link dev.coffer.core.crypto.RecoveryKeys}: generates the RSA recovery key and splits its
 *       private half into custodians' shares ({@link dev.coffer.core.crypto.sharing}); restores it
 *       from a threshold of them, for {@link dev.coffer.core.crypto.RootOfTrust#recover}.
 *   <li>{@link dev.coffer.core.crypto.VaultKeyRing}: a vault's key versions; the highest seals new
 *       data keys, lower ones open what the rewrap has not moved yet (docs/key-rotation.md).
 *   <li>{@link dev.coffer.core.crypto.NonceBudget}: counts random-nonce GCM encryptions per key
 *       version; signals rotation well before the NIST limit of 2^32 and refuses at it.
 * </ul>
 *
 * <h2>Formats</h2>
 *
 * <pre>
 *   Envelope (every AES-GCM ciphertext), format 2:
 *     u8 2 | u8 idLen | key id | u32 key version | 12-byte nonce | ciphertext + 16-byte tag
 *     AAD = the header before the nonce, then the caller's context
 *
 *   WrappedVaultKey (a vault key version), format 2:
 *     u8 2 | u32 vault key version | u8 n
 *     | n x ( u8 kind (1 root, 2 recovery) | u8 idLen | key id | u32 key version | u16 len | bytes )
 *     context of every wrapping: "coffer/v2/vault-key/" vault "/" vault key version
 *
 *   VaultKeyRing (every version of a vault's key still needed), format 3:
 *     u8 3 | u8 n | n x ( u32 len | WrappedVaultKey ), ascending; the last is the primary
 *     a bare WrappedVaultKey (format 2, stored before rotation) reads as a ring of one
 *
 *   Root wrapping by a GCM provider: an Envelope named by the root key id and version.
 *   Recovery wrapping: RSA-OAEP (SHA-256, MGF1-SHA-256), the context as the OAEP label.
 * </pre>
 *
 * <p>Key material never appears in {@code toString()} or in exception messages; byte arrays that
 * held keys are filled with zeros after use. The JDK's RSA private keys cannot be wiped (immutable
 * BigIntegers), nor can key bytes the JVM has copied during garbage collection.
 */
package dev.coffer.core.crypto;
