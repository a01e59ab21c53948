package dev.coffer.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exact bytes and headers of an error, as every server writes them. */
class ErrorJsonTest {
  @Test
  void aClientErrorIsCodeAndMessageOnly() {
    ErrorResponse body = ErrorResponse.of(ErrorCode.NOT_FOUND, "There is no \"such\" path.");

    assertThat(new String(ErrorJson.bytes(body), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"There is no \\\"such\\\" path.\"}}");
  }

  @Test
  void aServerFaultAlsoCarriesAnErrorId() {
    ErrorResponse body = ErrorResponse.of(ErrorCode.INTERNAL_ERROR, "It failed.");

    assertThat(new String(ErrorJson.bytes(body), StandardCharsets.UTF_8))
        .matches(
            "\\{\"error\":\\{\"code\":\"INTERNAL_ERROR\",\"message\":\"It failed.\","
                + "\"errorId\":\"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\"}}");
  }

  @Test
  void onlyServerFaultsCarryAnErrorIdNotEvery5xx() {
    for (ErrorCode code : ErrorCode.values()) {
      boolean hasId = ErrorResponse.of(code, "m.").error().errorId() != null;
      int status = code.status();
      assertThat(hasId).as(code.name()).isEqualTo(status >= 500 && status <= 504);
    }
  }

  @Test
  void everyErrorForbidsCachingAndSniffingInThisOrder() {
    assertThat(ErrorJson.headers(ErrorCode.NOT_FOUND))
        .containsExactly(
            Map.entry("Cache-Control", "no-store"),
            Map.entry("Pragma", "no-cache"),
            Map.entry("X-Content-Type-Options", "nosniff"));
  }

  @Test
  void a401NamesTheBearerSchemeAndA503SaysWhenToRetry() {
    assertThat(ErrorJson.headers(ErrorCode.UNAUTHENTICATED))
        .containsEntry("WWW-Authenticate", "Bearer realm=\"coffer\"")
        .hasSize(4);
    for (ErrorCode code : ErrorCode.values()) {
      assertThat(ErrorJson.headers(code).containsKey("Retry-After"))
          .as(code.name())
          .isEqualTo(code.status() == 503);
    }
  }

  @Test
  void anUnsupportedContentEncodingNamesTheCodingsAccepted() {
    assertThat(ErrorJson.headers(ErrorCode.UNSUPPORTED_CONTENT_ENCODING))
        .containsEntry("Accept-Encoding", "gzip, identity")
        .hasSize(4);
    assertThat(ErrorJson.headers(ErrorCode.UNSUPPORTED_MEDIA_TYPE)).hasSize(3);
  }
}
