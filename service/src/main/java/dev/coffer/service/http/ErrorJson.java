package dev.coffer.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * The one serializer of {@link ErrorResponse}: Jersey writes errors through it (as this provider)
 * and so do Jetty's error pages ({@link JsonErrorPageHandler}), so the two cannot drift apart. It
 * has its own mapper, untouched by the application's Jackson settings.
 */
@Produces(MediaType.APPLICATION_JSON)
public final class ErrorJson implements MessageBodyWriter<ErrorResponse> {
  private static final ObjectWriter WRITER = new ObjectMapper().writerFor(ErrorResponse.class);

  public static byte[] bytes(ErrorResponse error) {
    try {
      return WRITER.writeValueAsBytes(error);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

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
    out.write(bytes(error));
  }
}
