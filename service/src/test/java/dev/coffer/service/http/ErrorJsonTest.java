package dev.coffer.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.error.ErrorCode;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The exact bytes of an error, as Jersey and Jetty's error pages both write them. */
class ErrorJsonTest {
  @Test
  void aClientErrorIsCodeAndMessageOnly() {
    ErrorResponse body = ErrorResponses.body(ErrorCode.NOT_FOUND, "There is no \"such\" path.");

    assertThat(new String(ErrorJson.bytes(body), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"There is no \\\"such\\\" path.\"}}");
  }

  @Test
  void aServerFaultAlsoCarriesAnErrorId() {
    ErrorResponse body = ErrorResponses.body(ErrorCode.INTERNAL_ERROR, "It failed.");

    assertThat(new String(ErrorJson.bytes(body), StandardCharsets.UTF_8))
        .matches(
            "\\{\"error\":\\{\"code\":\"INTERNAL_ERROR\",\"message\":\"It failed.\","
                + "\"errorId\":\"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\"}}");
  }

  @Test
  void onlyServerFaultsCarryAnErrorIdNotEvery5xx() {
    for (ErrorCode code : ErrorCode.values()) {
      boolean hasId = ErrorResponses.body(code, "m.").error().errorId() != null;
      int status = ErrorResponses.status(code);
      assertThat(hasId).as(code.name()).isEqualTo(status == 500 || status == 503);
    }
  }

  @Test
  void jerseyWritesErrorsWithTheSameSerializer() throws IOException {
    ErrorResponse body = ErrorResponses.body(ErrorCode.METHOD_NOT_ALLOWED, "No.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ErrorJson writer = new ErrorJson();

    assertThat(
            writer.isWriteable(
                ErrorResponse.class,
                ErrorResponse.class,
                new Annotation[0],
                MediaType.APPLICATION_JSON_TYPE))
        .isTrue();
    writer.writeTo(
        body,
        ErrorResponse.class,
        ErrorResponse.class,
        new Annotation[0],
        MediaType.APPLICATION_JSON_TYPE,
        null,
        out);
    assertThat(out.toByteArray()).isEqualTo(ErrorJson.bytes(body));
    assertThat(ErrorResponses.of(ErrorCode.METHOD_NOT_ALLOWED, "No.").getEntity())
        .isInstanceOf(ErrorResponse.class);
  }
}
