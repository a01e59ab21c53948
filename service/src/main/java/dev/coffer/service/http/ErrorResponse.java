package dev.coffer.service.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The one error body every Coffer service returns: a stable code to match on, a sentence for
 * people, and for server faults an opaque id that finds the full story in the server log.
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
}
