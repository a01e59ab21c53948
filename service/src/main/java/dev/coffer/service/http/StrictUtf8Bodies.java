package dev.coffer.service.http;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Refuses a request body that is not well-formed UTF-8 before Jackson reads it. Jackson refuses
 * most malformed bytes itself, but decodes overlong forms ({@code C0 AF} becomes {@code /}) and
 * 4-byte sequences past U+10FFFF into other characters, which would store a value the client did
 * not send. Bodies are already capped in size, so reading one whole is cheap; the copy is wiped
 * once parsed, as it may hold a secret.
 */
public final class StrictUtf8Bodies implements ReaderInterceptor {
  @Override
  public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
    byte[] body = context.getInputStream().readAllBytes();
    try {
      try {
        CharBuffer text =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(body));
        if (text.hasArray()) {
          Arrays.fill(text.array(), '\0');
        }
      } catch (CharacterCodingException e) {
        throw new CofferException(
            ErrorCode.MALFORMED_REQUEST, "The request body is not well-formed UTF-8.");
      }
      context.setInputStream(new ByteArrayInputStream(body));
      return context.proceed();
    } finally {
      Arrays.fill(body, (byte) 0);
    }
  }
}
