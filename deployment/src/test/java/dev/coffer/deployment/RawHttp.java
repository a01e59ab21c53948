package dev.coffer.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sends bytes no HTTP client library would send (bad request lines, unknown methods, broken chunks,
 * bodies shorter than declared) and reads the one response, as a server's client would see it.
 */
final class RawHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A response as it came off the wire. */
  record Response(String statusLine, int status, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : String.join(", ", values);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as JSON, or a missing node when it is not JSON (or empty). */
    JsonNode json() {
      try {
        JsonNode json = JSON.readTree(body);
        return json == null ? MissingNode.getInstance() : json;
      } catch (IOException e) {
        return MissingNode.getInstance();
      }
    }
  }

  private RawHttp() {}

  /** A request with a {@code Host} header and {@code Connection: close} added. */
  static byte[] request(String requestLine, List<String> headers, byte[] body) {
    StringBuilder head = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1\r\n");
    head.append("Connection: close\r\n");
    headers.forEach(h -> head.append(h).append("\r\n"));
    head.append("\r\n");
    byte[] start = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[start.length + body.length];
    System.arraycopy(start, 0, all, 0, start.length);
    System.arraycopy(body, 0, all, start.length, body.length);
    return all;
  }

  /**
   * Sends the bytes, then half-closes the connection (so a body shorter than declared ends there)
   * and reads until the server closes.
   */
  static Response exchange(int port, byte[] bytes) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      socket.shutdownOutput();
      return parse(readAll(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException("no answer on port " + port, e);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException | java.net.SocketException e) {
      // The answer read so far is what the server sent; a reset after it changes nothing.
      if (out.size() == 0) {
        throw e;
      }
    }
    return out.toByteArray();
  }

  private static Response parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IllegalStateException("no complete response head: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers
          .computeIfAbsent(
              lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).trim());
    }
    byte[] rest = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    String length =
        headers.containsKey("content-length") ? headers.get("content-length").get(0) : null;
    byte[] body =
        length == null
            ? rest
            : java.util.Arrays.copyOf(rest, Math.min(rest.length, Integer.parseInt(length)));
    return new Response(lines[0], Integer.parseInt(lines[0].substring(9, 12)), headers, body);
  }
}
