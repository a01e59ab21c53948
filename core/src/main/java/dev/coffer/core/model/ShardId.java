package dev.coffer.core.model;

import dev.coffer.core.error.ErrorCode;
import java.util.regex.Pattern;

/** A shard's identifier, e.g. {@code shard-1}: 1–32 lower-case letters, digits and hyphens. */
public record ShardId(String value) implements Comparable<ShardId> {
  public static final String RULE =
      "a shard id has 1 to 32 characters: lower-case letters, digits and '-', starting with a letter";
  private static final Pattern PATTERN = Pattern.compile("[a-z][a-z0-9-]{0,31}");

  public ShardId {
    Names.require(value, PATTERN, ErrorCode.INVALID_SHARD, "The shard id", RULE);
  }

  public static ShardId of(String value) {
    return new ShardId(value);
  }

  @Override
  public int compareTo(ShardId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
