package dev.coffer.service.http;

import dev.coffer.core.error.ErrorCode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single place where error codes become HTTP statuses and response headers, for the application
 * and for the errors Jetty answers itself ({@link JsonErrorPageHandler}).
 */
public final class ErrorResponses {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  private ErrorResponses() {}

  public static int status(ErrorCode code) {
    return switch (code.category()) {
      case INVALID -> 400;
      case UNAUTHENTICATED -> 401;
      case NOT_FOUND -> 404;
      case METHOD_NOT_ALLOWED -> 405;
      case NOT_ACCEPTABLE -> 406;
      case REQUEST_TIMEOUT -> 408;
      case CONFLICT -> 409;
      case TOO_LARGE -> 413;
      case URI_TOO_LONG -> 414;
      case UNSUPPORTED_MEDIA_TYPE -> 415;
      case HEADERS_TOO_LARGE -> 431;
      case INTERNAL -> 500;
      case UNAVAILABLE -> 503;
      case HTTP_VERSION_NOT_SUPPORTED -> 505;
    };
  }

  /**
   * Whether the server, not the request, is at fault (500 and 503). A 505 is the client's choice of
   * protocol, so it is not.
   */
  public static boolean isServerFault(ErrorCode code) {
    return code.category() == ErrorCode.Category.INTERNAL
        || code.category() == ErrorCode.Category.UNAVAILABLE;
  }

  /** The body of an error; server faults get an id that links a client's report to the log. */
  public static ErrorResponse body(ErrorCode code, String message) {
    String errorId = isServerFault(code) ? UUID.randomUUID().toString() : null;
    return ErrorResponse.of(code.name(), message, errorId);
  }

  /** The headers every error with this code carries, besides its JSON content type. */
  public static Map<String, String> headers(ErrorCode code) {
    Map<String, String> headers = new LinkedHashMap<>();
    // As NoStoreFilter sets on every application response; Jetty's own answers need them too.
    headers.put("Cache-Control", "no-store");
    headers.put("Pragma", "no-cache");
    headers.put("X-Content-Type-Options", "nosniff");
    switch (status(code)) {
      case 401 -> headers.put("WWW-Authenticate", "Bearer realm=\"coffer\"");
      case 503 -> headers.put("Retry-After", "1");
      default -> {}
    }
    if (code == ErrorCode.UNSUPPORTED_CONTENT_ENCODING) {
      // RFC 7694: tell the client which request codings it may use instead.
      headers.put("Accept-Encoding", ContentEncodingFilter.ACCEPTED);
    }
    return headers;
  }

  public static Response of(ErrorCode code, String message) {
    Response.ResponseBuilder response =
        Response.status(status(code))
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(body(code, message));
    headers(code).forEach(response::header);
    return response.build();
  }

  /** For server faults: logs the cause under a fresh id and returns a body that reveals nothing. */
  public static Response internal(Throwable cause) {
    Response response =
        of(
            ErrorCode.INTERNAL_ERROR,
            "The server failed to handle the request; it has been logged.");
    String errorId = ((ErrorResponse) response.getEntity()).error().errorId();
    LOG.error("Request failed (errorId={}).", errorId, cause);
    return response;
  }
}
