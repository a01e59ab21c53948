package dev.coffer.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.error.ErrorJson;
import dev.coffer.core.error.ErrorResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.annotation.Annotation;
import org.junit.jupiter.api.Test;

/** Jersey's errors are core's: the same bytes, status and headers. */
class ErrorJsonWriterTest {
  @Test
  void jerseyWritesErrorsWithCoresSerializer() throws IOException {
    ErrorResponse body = ErrorResponse.of(ErrorCode.METHOD_NOT_ALLOWED, "No.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ErrorJsonWriter writer = new ErrorJsonWriter();

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
  }

  @Test
  void aJerseyErrorTakesItsStatusAndHeadersFromCore() {
    for (ErrorCode code : ErrorCode.values()) {
      Response response = ErrorResponses.of(code, "No.");

      assertThat(response.getStatus()).as(code.name()).isEqualTo(code.status());
      assertThat(response.getMediaType()).isEqualTo(MediaType.APPLICATION_JSON_TYPE);
      assertThat(response.getEntity()).isInstanceOf(ErrorResponse.class);
      ErrorJson.headers(code)
          .forEach(
              (name, value) ->
                  assertThat(response.getHeaderString(name)).as(name).isEqualTo(value));
    }
  }
}
