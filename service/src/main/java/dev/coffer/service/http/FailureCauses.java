package dev.coffer.service.http;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;

/**
 * Finds what a failed request stands for, wherever Jackson, Jersey or Jetty have wrapped it: a
 * domain error, or a client's broken request that Jetty reports while the application reads the
 * body (a body that ends early, a bad chunk size, a body that stops arriving, a body that is not
 * the gzip it claims). Without this, those reach the last-resort mapper as 500s with a stack trace.
 */
final class FailureCauses {
  private static final String ENDED_EARLY =
      "The request body ended early or its chunked encoding is not valid.";

  private FailureCauses() {}

  static Optional<CofferException> find(Throwable failure) {
    for (Throwable t : chain(failure)) {
      if (t instanceof CofferException e) {
        return Optional.of(e);
      }
      if (t instanceof RequestBodyFailure) {
        return Optional.of(bodyFailure(t));
      }
      if (t instanceof EofException || t instanceof EOFException) {
        return Optional.of(new CofferException(ErrorCode.MALFORMED_REQUEST, ENDED_EARLY));
      }
      if (t instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
        ErrorCode code = ProtocolErrors.codeFor(http.getCode());
        return Optional.of(new CofferException(code, ProtocolErrors.sentence(code)));
      }
      if (t instanceof ZipException) {
        return Optional.of(notGzip());
      }
    }
    return Optional.empty();
  }

  /** Whatever made reading the body fail, it was the client's request. */
  private static CofferException bodyFailure(Throwable failure) {
    for (Throwable t : chain(failure)) {
      if (t instanceof TimeoutException) {
        return new CofferException(
            ErrorCode.REQUEST_TIMEOUT, ProtocolErrors.sentence(ErrorCode.REQUEST_TIMEOUT));
      }
      if (t instanceof ZipException) {
        return notGzip();
      }
    }
    return new CofferException(ErrorCode.MALFORMED_REQUEST, ENDED_EARLY);
  }

  private static CofferException notGzip() {
    return new CofferException(ErrorCode.MALFORMED_REQUEST, "The request body is not valid gzip.");
  }

  /** The failure and its causes, outermost first; a cycle ends it. */
  private static List<Throwable> chain(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  /**
   * Marks a failure to read the request body (see {@link BodySizeLimitFilter}): whatever Jetty or
   * the gzip inflater reports there is the client's request, never a server fault. A timeout, say,
   * is only the client's when it is met here.
   */
  static final class RequestBodyFailure extends IOException {
    private static final long serialVersionUID = 1L;

    RequestBodyFailure(IOException cause) {
      super("the request body could not be read", cause);
    }
  }
}
