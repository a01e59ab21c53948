package dev.coffer.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.crypto.KeystoreRootKeyProvider.Format;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeystoreRootKeyProviderTest {
  private static final String PASSPHRASE = "zq7x-correct-horse-battery-zq7x";

  /**
   * One keystore per format, generated once and copied for each test: deriving keys from the
   * passphrase is deliberately slow, BCFKS's especially.
   */
  private static final java.util.Map<Format, byte[]> TEMPLATES =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static byte[] template(Format format) {
    return TEMPLATES.computeIfAbsent(
        format,
        f -> {
          try {
            Path directory = Files.createTempDirectory("coffer-keystore");
            Path file = directory.resolve("template");
            KeystoreRootKeyProvider.generateKey(file, f, PASSPHRASE.toCharArray(), "keystore-root");
            byte[] bytes = Files.readAllBytes(file);
            Files.delete(file);
            Files.delete(directory);
            return bytes;
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  abstract static class Contract extends RootKeyProviderContract {
    @TempDir Path directory;

    abstract Format format();

    Path file() {
      return directory.resolve("root." + format().name().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    protected RootKeyProvider open(NonceBudget budget) {
      if (!Files.exists(file())) {
        try {
          Files.write(file(), template(format()));
          Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-------"));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return KeystoreRootKeyProvider.open(
          file(), format(), PASSPHRASE.toCharArray(), keyId(), budget);
    }

    @Test
    void generatingTheFirstVersionCreatesAnOwnerOnlyFile() throws Exception {
      Path fresh = directory.resolve("fresh");

      assertThat(
              KeystoreRootKeyProvider.generateKey(
                  fresh, format(), PASSPHRASE.toCharArray(), keyId()))
          .isEqualTo(new KeyRef(keyId(), 1));

      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)))
          .isEqualTo("rw-------");
      track(
              KeystoreRootKeyProvider.open(
                  fresh, format(), PASSPHRASE.toCharArray(), keyId(), budget))
          .wrap(new byte[32], CONTEXT);
    }

    @Override
    protected String keyId() {
      return "keystore-root";
    }

    @Override
    protected Optional<RootKeyProvider> sameIdOtherKey() {
      Path other = directory.resolve("other-" + file().getFileName());
      KeystoreRootKeyProvider.generateKey(other, format(), PASSPHRASE.toCharArray(), keyId());
      return Optional.of(
          KeystoreRootKeyProvider.open(
              other, format(), PASSPHRASE.toCharArray(), keyId(), NonceBudget.withDefaults()));
    }

    @Override
    protected Optional<RootKeyProvider> rotateAndReopen(NonceBudget budget) {
      KeyRef created =
          KeystoreRootKeyProvider.generateKey(file(), format(), PASSPHRASE.toCharArray(), keyId());
      assertThat(created.version()).isEqualTo(2);
      return Optional.of(
          KeystoreRootKeyProvider.open(
              file(), format(), PASSPHRASE.toCharArray(), keyId(), budget));
    }

    @Override
    protected List<String> materialThatMustNotLeak() {
      return List.of(PASSPHRASE);
    }

    @Test
    void theFileIsPassphraseProtected() throws Exception {
      assertThat(
              new String(Files.readAllBytes(file()), java.nio.charset.StandardCharsets.ISO_8859_1))
          .doesNotContain(PASSPHRASE);

      CofferException e =
          assertFails(
              ErrorCode.KEY_UNAVAILABLE,
              () ->
                  KeystoreRootKeyProvider.open(
                      file(), format(), "zq7x-wrong-zq7x".toCharArray(), keyId(), budget));
      assertThat(e.getMessage())
          .contains("passphrase is wrong")
          .doesNotContain("zq7x")
          .contains(file().getFileName().toString());
    }

    @Test
    void aKeystoreWithoutTheKeyIsRefused() {
      CofferException e =
          assertFails(
              ErrorCode.KEY_UNAVAILABLE,
              () ->
                  KeystoreRootKeyProvider.open(
                      file(), format(), PASSPHRASE.toCharArray(), "another-root", budget));
      assertThat(e.getMessage()).contains("no version of root key 'another-root'");
    }

    @Test
    void aMissingFileIsRefused() {
      CofferException e =
          assertFails(
              ErrorCode.KEY_UNAVAILABLE,
              () ->
                  KeystoreRootKeyProvider.open(
                      directory.resolve("absent.p12"),
                      format(),
                      PASSPHRASE.toCharArray(),
                      keyId(),
                      budget));
      assertThat(e.getMessage()).contains("does not exist");
    }
  }

  @Nested
  class Pkcs12 extends Contract {
    @Override
    Format format() {
      return Format.PKCS12;
    }

    @Test
    void anEntryThatIsNotAnAes256KeyIsRefused() throws Exception {
      Path file = directory.resolve("short.p12");
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, PASSPHRASE.toCharArray());
      store.setEntry(
          "short.v1",
          new KeyStore.SecretKeyEntry(new SecretKeySpec(new byte[16], "AES")),
          new KeyStore.PasswordProtection(PASSPHRASE.toCharArray()));
      try (var out = Files.newOutputStream(file)) {
        store.store(out, PASSPHRASE.toCharArray());
      }

      assertThatThrownBy(
              () ->
                  KeystoreRootKeyProvider.open(
                      file, Format.PKCS12, PASSPHRASE.toCharArray(), "short", budget))
          .isInstanceOfSatisfying(
              CofferException.class,
              e -> assertThat(e.getMessage()).contains("not an AES-256 key"));
    }
  }

  @Nested
  class Bcfks extends Contract {
    @Override
    Format format() {
      return Format.BCFKS;
    }
  }

  @Test
  void keyIdsMustBeUsableAsAliases() {
    for (String bad : new String[] {"", "Upper", "with.dot", "with space", "x".repeat(64)}) {
      assertThatThrownBy(
              () ->
                  KeystoreRootKeyProvider.generateKey(
                      Path.of("unused.p12"), Format.PKCS12, new char[0], bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
