package dev.coffer.core.model;

import dev.coffer.core.error.ErrorCode;
import java.util.regex.Pattern;

/**
 * A vault's name: 1–63 characters of lower-case ASCII letters, digits and hyphens, starting with a
 * letter and not ending with a hyphen (a DNS label, so it can name cells and hosts later).
 */
public record VaultName(String value) implements Comparable<VaultName> {
  public static final String RULE =
      "a vault name has 1 to 63 characters: lower-case letters a-z, digits and '-', starts with a"
          + " letter and does not end with '-'";
  private static final Pattern PATTERN = Pattern.compile("[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?");

  public VaultName {
    Names.require(value, PATTERN, ErrorCode.INVALID_VAULT_NAME, "The vault name", RULE);
  }

  public static VaultName of(String value) {
    return new VaultName(value);
  }

  @Override
  public int compareTo(VaultName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
