package dev.coffer.service.http;

import dev.coffer.core.error.ErrorCode;

/**
 * Errors that Jetty or Jersey raise as a bare HTTP status, before or around the application: the
 * code each status stands for, and a sentence for it. The status actually sent is always {@link
 * ErrorCode#status()} of that code, so one code never appears under two statuses.
 */
final class ProtocolErrors {
  private ProtocolErrors() {}

  static ErrorCode codeFor(int status) {
    return switch (status) {
      case 404 -> ErrorCode.NOT_FOUND;
      case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
      case 406 -> ErrorCode.NOT_ACCEPTABLE;
      case 408 -> ErrorCode.REQUEST_TIMEOUT;
      case 413 -> ErrorCode.REQUEST_TOO_LARGE;
      case 414 -> ErrorCode.URI_TOO_LONG;
      case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
      case 431 -> ErrorCode.HEADERS_TOO_LARGE;
      case 503 -> ErrorCode.SERVER_UNAVAILABLE;
      case 505 -> ErrorCode.HTTP_VERSION_NOT_SUPPORTED;
      // Any other client error Jetty detects (400, 408, 411, 417, 501 for a transfer coding it
      // does not know...) is a request that is not valid HTTP for this API.
      default ->
          status < 500 || status == 501 ? ErrorCode.MALFORMED_REQUEST : ErrorCode.INTERNAL_ERROR;
    };
  }

  static String sentence(ErrorCode code) {
    return switch (code) {
      case NOT_FOUND -> "There is no such resource; check the path.";
      case METHOD_NOT_ALLOWED ->
          "This API does not support that HTTP method; it uses GET, HEAD, POST, PUT and DELETE.";
      case NOT_ACCEPTABLE -> "Responses are application/json.";
      case REQUEST_TIMEOUT -> "The request did not arrive in time; send it without pauses.";
      case REQUEST_TOO_LARGE -> "The request body is larger than the server accepts.";
      case URI_TOO_LONG -> "The request line is longer than the server accepts.";
      case UNSUPPORTED_MEDIA_TYPE -> "Send the request body as application/json.";
      case HEADERS_TOO_LARGE -> "The request's header fields are larger than the server accepts.";
      case SERVER_UNAVAILABLE -> "The server is starting or stopping; retry shortly.";
      case HTTP_VERSION_NOT_SUPPORTED -> "The server speaks HTTP/1.1 and HTTP/1.0 only.";
      case INTERNAL_ERROR -> "The server failed to handle the request; it has been logged.";
      default ->
          "The request is not valid HTTP for this API (for example a path with an encoded '/',"
              + " a dot segment, a backslash or a control character, or a broken header or body).";
    };
  }
}
