package dev.coffer.routing.proxy;

import dev.coffer.core.api.Headers;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.error.ErrorJson;
import dev.coffer.core.error.ErrorResponse;
import dev.coffer.routing.route.PathRouter;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's own answers, in the one error format: the same body and headers any Coffer server
 * sends for the code ({@link ErrorJson}), plus the request id. A server fault's id is logged with
 * the code, never with the request's path or headers.
 */
final class ErrorReplies {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorReplies.class);

  private ErrorReplies() {}

  /**
   * @param head whether it answers a HEAD request (headers only, {@code Content-Length} as GET's)
   * @param close whether the connection closes after it
   */
  static FullHttpResponse of(
      ErrorCode code, String message, String requestId, boolean head, boolean close) {
    ErrorResponse error = ErrorResponse.of(code, message);
    if (error.error().errorId() != null) {
      LOG.warn("Answered {} (error id {}, request {}).", code, error.error().errorId(), requestId);
    }
    byte[] body = ErrorJson.bytes(error);
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(code.status()),
            head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, ErrorJson.CONTENT_TYPE);
    ErrorJson.headers(code).forEach(response.headers()::set);
    if (code == ErrorCode.METHOD_NOT_ALLOWED) {
      response.headers().set(HttpHeaderNames.ALLOW, String.join(", ", PathRouter.ALLOWED_METHODS));
    }
    response.headers().set(Headers.REQUEST_ID, requestId);
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
    if (close) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return response;
  }

  /** The sentence for an error the router answers about its upstreams. */
  static String sentence(ErrorCode code) {
    return switch (code) {
      case CELL_UNAVAILABLE -> "No server of the vault's cell could be reached; retry shortly.";
      case CONTROL_PLANE_UNAVAILABLE -> "No control plane could be reached; retry shortly.";
      case BAD_GATEWAY -> "The server behind the router failed to answer properly.";
      case GATEWAY_TIMEOUT -> "The server behind the router did not answer in time.";
      case REQUEST_TOO_LARGE -> "The request body is larger than the server accepts.";
      case REQUEST_TIMEOUT -> "The request did not arrive in time; send it without pauses.";
      case URI_TOO_LONG -> "The request line is longer than the server accepts.";
      case HEADERS_TOO_LARGE -> "The request's header fields are larger than the server accepts.";
      case HTTP_VERSION_NOT_SUPPORTED -> "The server speaks HTTP/1.1 and HTTP/1.0 only.";
      case VAULT_NOT_FOUND -> "There is no such vault.";
      case MALFORMED_REQUEST -> "The request is not valid HTTP for this API.";
      default -> "The request failed.";
    };
  }
}
