package dev.coffer.service.http;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Caps request bodies before they are parsed, so an oversized body costs the server neither memory
 * nor a half-read value. Checks the declared length and counts bodies as they stream, after {@link
 * ContentEncodingFilter} has inflated them: the cap is on the bytes the parser sees. Marks any
 * failure to read the body as the client's ({@link FailureCauses.RequestBodyFailure}).
 */
@Priority(Priorities.ENTITY_CODER)
public final class BodySizeLimitFilter implements ContainerRequestFilter {
  private final long maxBytes;

  public BodySizeLimitFilter(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (request.getLength() > maxBytes) {
      throw tooLarge();
    }
    request.setEntityStream(new LimitedStream(request.getEntityStream()));
  }

  private CofferException tooLarge() {
    return new CofferException(
        ErrorCode.REQUEST_TOO_LARGE,
        "The request body is larger than "
            + maxBytes
            + " bytes; secret values are limited to 64 KiB.");
  }

  private final class LimitedStream extends FilterInputStream {
    private long count;

    LimitedStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b;
      try {
        b = super.read();
      } catch (IOException e) {
        throw new FailureCauses.RequestBodyFailure(e);
      }
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n;
      try {
        n = super.read(buffer, offset, length);
      } catch (IOException e) {
        throw new FailureCauses.RequestBodyFailure(e);
      }
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) {
      count += n;
      if (count > maxBytes) {
        throw tooLarge();
      }
    }
  }
}
