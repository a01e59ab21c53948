package dev.coffer.core.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.coffer.core.api.Headers;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one error format on the wire, free of any server framework: the bytes of an {@link
 * ErrorResponse} and the headers every error carries. Every server — Jersey, Jetty's own error
 * pages, the admin port's filter, and any other — writes errors from here, so they cannot drift
 * apart. It has its own mapper, untouched by an application's Jackson settings.
 */
public final class ErrorJson {
  /** The content type of every error body. */
  public static final String CONTENT_TYPE = "application/json";

  /** The request body codings a server accepts, as an {@code Accept-Encoding} value. */
  public static final String ACCEPTED_CONTENT_CODINGS = "gzip, identity";

  private static final ObjectWriter WRITER = new ObjectMapper().writerFor(ErrorResponse.class);

  private ErrorJson() {}

  public static byte[] bytes(ErrorResponse error) {
    try {
      return WRITER.writeValueAsBytes(error);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The headers every error with this code carries besides its {@link #CONTENT_TYPE}, in the order
   * they are sent.
   */
  public static Map<String, String> headers(ErrorCode code) {
    // An error may echo a request's details, so no cache keeps it, and no browser sniffs it.
    Map<String, String> headers = new LinkedHashMap<>(Headers.UNCACHEABLE);
    switch (code.status()) {
      case 401 -> headers.put("WWW-Authenticate", "Bearer realm=\"coffer\"");
      case 503 -> headers.put("Retry-After", "1");
      default -> {}
    }
    if (code == ErrorCode.UNSUPPORTED_CONTENT_ENCODING) {
      // RFC 7694: tell the client which request codings it may use instead.
      headers.put("Accept-Encoding", ACCEPTED_CONTENT_CODINGS);
    }
    return Collections.unmodifiableMap(headers);
  }
}
