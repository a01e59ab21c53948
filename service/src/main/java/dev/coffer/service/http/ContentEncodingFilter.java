package dev.coffer.service.http;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.error.ErrorJson;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Request bodies are accepted uncompressed ({@code identity}) or as {@code gzip}; any other content
 * coding is refused with UNSUPPORTED_CONTENT_ENCODING rather than parsed as if it were plain JSON.
 * Coffer inflates gzip here, not Jetty, and runs before {@link BodySizeLimitFilter}, so the body
 * cap counts inflated bytes and a small compressed body cannot inflate past it. A body that is not
 * valid gzip fails while it is read, as MALFORMED_REQUEST (see {@link FailureCauses}). The
 * refusal's {@code Accept-Encoding} header names these two ({@link
 * ErrorJson#ACCEPTED_CONTENT_CODINGS}).
 */
@Priority(Priorities.ENTITY_CODER - 100)
public final class ContentEncodingFilter implements ContainerRequestFilter {
  @Override
  public void filter(ContainerRequestContext request) {
    List<String> codings = codings(request.getHeaders().get(HttpHeaders.CONTENT_ENCODING));
    if (codings.isEmpty()) {
      return;
    }
    if (codings.equals(List.of("gzip"))) {
      request.setEntityStream(new GunzipOnRead(request.getEntityStream()));
      return;
    }
    throw new CofferException(
        ErrorCode.UNSUPPORTED_CONTENT_ENCODING,
        "Send the request body uncompressed or as gzip (Content-Encoding: gzip).");
  }

  /** The codings applied to the body, in order, without the no-op {@code identity}. */
  static List<String> codings(List<String> headerValues) {
    List<String> codings = new ArrayList<>();
    if (headerValues == null) {
      return codings;
    }
    for (String value : headerValues) {
      for (String token : value.split(",", -1)) {
        String coding = token.trim().toLowerCase(Locale.ROOT);
        if (coding.isEmpty() || coding.equals("identity")) {
          continue;
        }
        codings.add(coding.equals("x-gzip") ? "gzip" : coding);
      }
    }
    return codings;
  }

  /**
   * Inflates on the first read, so a request whose body is never read (or is empty) never fails on
   * a missing gzip header.
   */
  private static final class GunzipOnRead extends InputStream {
    private final InputStream compressed;
    private InputStream inflated;

    GunzipOnRead(InputStream compressed) {
      this.compressed = compressed;
    }

    private InputStream inflated() throws IOException {
      if (inflated == null) {
        inflated = new GZIPInputStream(compressed);
      }
      return inflated;
    }

    @Override
    public int read() throws IOException {
      return inflated().read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      return inflated().read(buffer, offset, length);
    }

    @Override
    public void close() throws IOException {
      if (inflated != null) {
        inflated.close();
      } else {
        compressed.close();
      }
    }
  }
}
