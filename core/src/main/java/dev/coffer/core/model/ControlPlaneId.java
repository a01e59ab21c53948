package dev.coffer.core.model;

import dev.coffer.core.error.ErrorCode;
import java.util.regex.Pattern;

/** A control plane instance's name, e.g. {@code control-plane-1}. */
public record ControlPlaneId(String value) implements Comparable<ControlPlaneId> {
  private static final Pattern PATTERN = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  public ControlPlaneId {
    Names.require(
        value,
        PATTERN,
        ErrorCode.MALFORMED_REQUEST,
        "The control plane's name",
        "a control plane's name has 1 to 63 lower-case letters, digits and '-', starting with a"
            + " letter");
  }

  public static ControlPlaneId of(String value) {
    return new ControlPlaneId(value);
  }

  @Override
  public int compareTo(ControlPlaneId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
