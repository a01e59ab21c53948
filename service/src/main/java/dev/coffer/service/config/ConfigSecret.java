package dev.coffer.service.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A passphrase or PIN given either inline or as a file holding it (so that it can live apart from
 * the configuration, e.g. a mounted secret); environment variables work inline as {@code ${NAME}}.
 */
final class ConfigSecret {
  private ConfigSecret() {}

  static boolean exactlyOne(String inline, Path file) {
    return (inline == null) != (file == null);
  }

  static char[] read(String inline, Path file, String what) {
    if (inline != null) {
      return inline.toCharArray();
    }
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      return text.strip().toCharArray();
    } catch (IOException e) {
      throw new UncheckedIOException("the " + what + " file " + file + " cannot be read", e);
    }
  }
}
