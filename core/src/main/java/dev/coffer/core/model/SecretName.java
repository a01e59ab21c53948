package dev.coffer.core.model;

import dev.coffer.core.error.ErrorCode;
import java.util.regex.Pattern;

/**
 * A secret's name within its vault: 1–255 characters of ASCII letters, digits, '.', '_' and '-',
 * starting with a letter or digit. No '/', so a name is always one URL path segment.
 */
public record SecretName(String value) implements Comparable<SecretName> {
  public static final String RULE =
      "a secret name has 1 to 255 characters: letters A-Z a-z, digits, '.', '_' and '-', and starts"
          + " with a letter or digit";
  private static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

  public SecretName {
    Names.require(value, PATTERN, ErrorCode.INVALID_SECRET_NAME, "The secret name", RULE);
  }

  public static SecretName of(String value) {
    return new SecretName(value);
  }

  @Override
  public int compareTo(SecretName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
