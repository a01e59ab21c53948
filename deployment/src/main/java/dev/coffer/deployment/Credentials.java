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
 * The local deployment's admin token and root key, generated on first start and kept (owner-only)
 * in the data directory: the data written on one run stays readable on the next.
 */
public record Credentials(String adminToken, String rootKeyBase64) {
  private static final String FILE = "credentials.properties";

  public static Credentials generate() {
    byte[] token = new byte[32];
    new SecureRandom().nextBytes(token);
    return new Credentials(
        "coffer-dev-" + Base64.getUrlEncoder().withoutPadding().encodeToString(token),
        LocalRootKeyProvider.generateBase64Key());
  }

  public static Credentials loadOrGenerate(Path directory) {
    Path file = directory.resolve(FILE);
    try {
      if (Files.exists(file)) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          properties.load(in);
        }
        return new Credentials(
            properties.getProperty("adminToken"), properties.getProperty("rootKey"));
      }
      Credentials credentials = generate();
      Files.createDirectories(directory);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Properties properties = new Properties();
      properties.setProperty("adminToken", credentials.adminToken());
      properties.setProperty("rootKey", credentials.rootKeyBase64());
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        properties.store(out, "Coffer local deployment: admin token and local root key");
      }
      return credentials;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read or write " + file, e);
    }
  }

  @Override
  public String toString() {
    return "Credentials[REDACTED]";
  }
}
