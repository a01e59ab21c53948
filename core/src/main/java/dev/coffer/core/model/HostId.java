package dev.coffer.core.model;

import dev.coffer.core.error.ErrorCode;
import java.util.regex.Pattern;

/** A data-plane host's identifier within its cell, e.g. {@code shard-1-host-a}. */
public record HostId(String value) implements Comparable<HostId> {
  private static final Pattern PATTERN = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  public HostId {
    Names.require(
        value,
        PATTERN,
        ErrorCode.MALFORMED_REQUEST,
        "The host id",
        "a host id has 1 to 63 lower-case letters, digits and '-', starting with a letter");
  }

  public static HostId of(String value) {
    return new HostId(value);
  }

  @Override
  public int compareTo(HostId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
