package dev.coffer.deployment;

import dev.coffer.core.crypto.LocalRootKeyProvider;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * The local deployment's secrets, generated on first start and kept (owner-only) in the data
 * directory so that data written on one run stays readable on the next: the admin token, the
 * keystore passphrase, the SoftHSM2 token PIN, and a local root key used when SoftHSM2 is absent.
 * Entries missing from an older file are generated and added.
 */
public record Credentials(
    String adminToken, String rootKeyBase64, String keystorePassphrase, String hsmPin) {
  private static final String FILE = "credentials.properties";

  public static Credentials generate() {
    return new Credentials(
        "coffer-dev-" + random(32),
        LocalRootKeyProvider.generateBase64Key(),
        random(24),
        random(12));
  }

  public static Credentials loadOrGenerate(Path directory) {
    Path file = directory.resolve(FILE);
    try {
      Properties properties = new Properties();
      if (Files.exists(file)) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          properties.load(in);
        }
      }
      Credentials fresh = generate();
      Credentials credentials =
          new Credentials(
              properties.getProperty("adminToken", fresh.adminToken()),
              properties.getProperty("rootKey", fresh.rootKeyBase64()),
              properties.getProperty("keystorePassphrase", fresh.keystorePassphrase()),
              properties.getProperty("hsmPin", fresh.hsmPin()));
      if (properties.size() < 4) {
        store(directory, file, credentials);
      }
      return credentials;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read or write " + file, e);
    }
  }

  private static void store(Path directory, Path file, Credentials credentials) throws IOException {
    OwnerOnly.directory(directory);
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Properties properties = new Properties();
    properties.setProperty("adminToken", credentials.adminToken());
    properties.setProperty("rootKey", credentials.rootKeyBase64());
    properties.setProperty("keystorePassphrase", credentials.keystorePassphrase());
    properties.setProperty("hsmPin", credentials.hsmPin());
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      properties.store(
          out,
          "Coffer local deployment: admin token, keystore passphrase, SoftHSM2 PIN, local root key");
    }
  }

  private static String random(int bytes) {
    byte[] value = new byte[bytes];
    new SecureRandom().nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }

  @Override
  public String toString() {
    return "Credentials[REDACTED]";
  }
}
