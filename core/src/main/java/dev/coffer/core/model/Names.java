package dev.coffer.core.model;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.util.regex.Pattern;

/** Shared validation for the name types, so every identifier rejects bad input the same way. */
final class Names {
  private Names() {}

  static String require(String value, Pattern pattern, ErrorCode code, String what, String rule) {
    if (value == null || value.isEmpty()) {
      throw new CofferException(code, what + " must not be empty; " + rule + ".");
    }
    if (!pattern.matcher(value).matches()) {
      // The rejected value is not echoed: a caller may have pasted a secret into the wrong field.
      throw new CofferException(code, what + " is not valid; " + rule + ".");
    }
    return value;
  }
}
