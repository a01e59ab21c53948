package dev.coffer.service.http;

import dev.coffer.core.error.ErrorJson;
import dev.coffer.core.error.ErrorResponse;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/** Jersey writes an {@link ErrorResponse} with core's {@link ErrorJson}, as every server does. */
@Produces(MediaType.APPLICATION_JSON)
public final class ErrorJsonWriter implements MessageBodyWriter<ErrorResponse> {
  @Override
  public boolean isWriteable(
      Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
    return type == ErrorResponse.class;
  }

  @Override
  public void writeTo(
      ErrorResponse error,
      Class<?> type,
      Type genericType,
      Annotation[] annotations,
      MediaType mediaType,
      MultivaluedMap<String, Object> headers,
      OutputStream out)
      throws IOException {
    out.write(ErrorJson.bytes(error));
  }
}
