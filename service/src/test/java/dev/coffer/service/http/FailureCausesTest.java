package dev.coffer.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipException;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.io.EofException;
import org.junit.jupiter.api.Test;

class FailureCausesTest {
  @Test
  void aBodyOverTheCapWrappedByJacksonIsStillTooLarge() {
    CofferException cap = new CofferException(ErrorCode.REQUEST_TOO_LARGE, "Too large.");
    JsonMappingException wrapped = JsonMappingException.wrapWithPath(cap, new Object(), "value");

    assertThat(code(wrapped)).isEqualTo(ErrorCode.REQUEST_TOO_LARGE);
  }

  @Test
  @SuppressWarnings("removal") // Jetty 12 still throws BadMessageException
  void aBrokenBodyIsMalformedWhereverItIsWrapped() {
    assertThat(code(new UncheckedIOException(new EofException("Early EOF"))))
        .isEqualTo(ErrorCode.MALFORMED_REQUEST);
    assertThat(code(new RuntimeException(new ZipException("Not in GZIP format"))))
        .isEqualTo(ErrorCode.MALFORMED_REQUEST);
    assertThat(code(new IllegalStateException(new BadMessageException(400, "bad chunk"))))
        .isEqualTo(ErrorCode.MALFORMED_REQUEST);
  }

  @Test
  @SuppressWarnings("removal") // Jetty 12 still throws BadMessageException
  void aJettyStatusKeepsItsOwnCode() {
    assertThat(code(new BadMessageException(431, "too large")))
        .isEqualTo(ErrorCode.HEADERS_TOO_LARGE);
  }

  @Test
  void aTimeoutIsTheClientsOnlyWhileReadingTheBody() {
    IOException idle = new IOException(new TimeoutException("Idle timeout expired"));

    assertThat(code(new FailureCauses.RequestBodyFailure(idle)))
        .isEqualTo(ErrorCode.REQUEST_TIMEOUT);
    assertThat(FailureCauses.find(new RuntimeException(new TimeoutException("a store")))).isEmpty();
  }

  @Test
  void anyFailureToReadTheBodyIsTheClients() {
    assertThat(code(new FailureCauses.RequestBodyFailure(new IOException("reset"))))
        .isEqualTo(ErrorCode.MALFORMED_REQUEST);
  }

  @Test
  void aBugIsNoClientFault() {
    assertThat(FailureCauses.find(new IllegalStateException("bug"))).isEmpty();
    assertThat(
            FailureCauses.find(
                new org.eclipse.jetty.http.HttpException.RuntimeException(500, "server")))
        .isEmpty();
  }

  @Test
  void aCauseCycleEndsTheSearch() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);

    assertThat(FailureCauses.find(a)).isEmpty();
  }

  private static ErrorCode code(Throwable failure) {
    return FailureCauses.find(failure).orElseThrow().code();
  }
}
