package dev.coffer.core.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.UUID;

/**
 * The one error body every Coffer server returns: a stable code to match on, a sentence for people,
 * and for server faults an opaque id that finds the full story in the server log. {@link ErrorJson}
 * writes it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorResponse(@JsonProperty("error") Body error) {
  /** The contents of an error response. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Body(
      @JsonProperty("code") String code,
      @JsonProperty("message") String message,
      @JsonProperty("errorId") String errorId) {}

  public static ErrorResponse of(String code, String message, String errorId) {
    return new ErrorResponse(new Body(code, message, errorId));
  }

  /** The body of an error; server faults get a fresh id that links a client's report to the log. */
  public static ErrorResponse of(ErrorCode code, String message) {
    String errorId = code.isServerFault() ? UUID.randomUUID().toString() : null;
    return of(code.name(), message, errorId);
  }
}
