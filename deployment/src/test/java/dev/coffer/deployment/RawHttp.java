package dev.coffer.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no HTTP client library would send (bad request lines,
 * unknown methods, broken chunks, bodies shorter than declared): the bytes go out as given, the
 * output side is then shut so that a request the server is still waiting on ends there, and the
 * first final response is parsed (Content-Length, chunked, or until the connection closes).
 */
final class RawHttp {
  private static final int TIMEOUT_MILLIS = 20_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private RawHttp() {}

  /**
   * A response as it came off the wire; {@code status} is -1 and {@code failure} says why when the
   * server sent none.
   */
  record Response(
      String statusLine,
      int status,
      Map<String, List<String>> headers,
      byte[] body,
      String failure) {
    static Response none(String why) {
      return new Response("", -1, Map.of(), new byte[0], why);
    }

    boolean answered() {
      return status > 0;
    }

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

  /** A request with a {@code Host} header and {@code Connection: close} added. */
  static byte[] request(String requestLine, List<String> headers, byte[] body) {
    StringBuilder head = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1\r\n");
    head.append("Connection: close\r\n");
    headers.forEach(h -> head.append(h).append("\r\n"));
    head.append("\r\n");
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    all.writeBytes(body);
    return all.toByteArray();
  }

  /** {@link #tryExchange}, for requests that must get an answer. */
  static Response exchange(int port, byte[] request) {
    Response response = tryExchange(port, request);
    if (!response.answered()) {
      throw new IllegalStateException("no answer on port " + port + ": " + response.failure());
    }
    return response;
  }

  static Response tryExchange(int port, byte[] request) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
        socket.shutdownOutput();
      } catch (IOException serverClosedEarly) {
        // A server may answer and close before it has read a body it rejects: read the answer.
      }
      return read(socket.getInputStream());
    } catch (SocketTimeoutException e) {
      return Response.none("no complete answer within " + TIMEOUT_MILLIS + " ms");
    } catch (IOException e) {
      return Response.none(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static Response read(InputStream raw) throws IOException {
    Reader in = new Reader(raw);
    while (true) {
      String statusLine = in.line();
      if (statusLine == null) {
        return Response.none("the connection closed without a response");
      }
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
        return Response.none("not an HTTP status line: " + statusLine);
      }
      int status = Integer.parseInt(parts[1]);
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (String line = in.line(); line != null && !line.isEmpty(); line = in.line()) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          headers
              .computeIfAbsent(
                  line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
              .add(line.substring(colon + 1).trim());
        }
      }
      if (status < 200) {
        continue; // 100 Continue and other interim responses precede the real one
      }
      byte[] body;
      String length = first(headers, "content-length");
      if ("chunked".equalsIgnoreCase(first(headers, "transfer-encoding"))) {
        body = in.chunked();
      } else if (length != null) {
        body = in.exactly(Integer.parseInt(length));
      } else if (status == 204 || status == 304) {
        body = new byte[0];
      } else {
        body = in.rest();
      }
      return new Response(statusLine, status, headers, body, null);
    }
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null ? null : values.get(0);
  }

  /** Line and block reads over one stream. */
  private static final class Reader {
    private final InputStream in;

    Reader(InputStream in) {
      this.in = in;
    }

    String line() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        if (b == '\n') {
          String text = line.toString(StandardCharsets.ISO_8859_1);
          return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }
        line.write(b);
      }
      return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    byte[] exactly(int n) throws IOException {
      return in.readNBytes(n);
    }

    byte[] rest() throws IOException {
      return in.readAllBytes();
    }

    byte[] chunked() throws IOException {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String size = line();
        if (size == null) {
          return body.toByteArray();
        }
        int semicolon = size.indexOf(';');
        int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
        if (n == 0) {
          while (true) {
            String trailer = line();
            if (trailer == null || trailer.isEmpty()) {
              return body.toByteArray();
            }
          }
        }
        body.write(in.readNBytes(n));
        line();
      }
    }
  }

  /** A request as parts, so that each part can be mutated before it is put together. */
  static final class Request {
    String method;
    String target;
    String version = "HTTP/1.1";
    final List<String[]> headers = new ArrayList<>();
    byte[] body = new byte[0];

    /** Set when a mutation wrote the framing headers itself (chunked, a wrong length). */
    boolean framed;

    Request(String method, String target) {
      this.method = method;
      this.target = target;
    }

    Request header(String name, String value) {
      headers.add(new String[] {name, value});
      return this;
    }

    Request withoutHeader(String name) {
      headers.removeIf(h -> h[0].equalsIgnoreCase(name));
      return this;
    }

    byte[] bytes() {
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(target);
      if (!version.isEmpty()) {
        head.append(' ').append(version);
      }
      head.append("\r\n");
      for (String[] h : headers) {
        head.append(h[0]).append(": ").append(h[1]).append("\r\n");
      }
      if (!framed && body.length > 0) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      head.append("Connection: close\r\n\r\n");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      // The head is written as UTF-8 so that raw non-ASCII in a path or header reaches the server.
      out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
      out.writeBytes(body);
      return out.toByteArray();
    }

    @Override
    public String toString() {
      String body = new String(this.body, StandardCharsets.UTF_8);
      return method
          + " "
          + abbreviate(target)
          + " "
          + version
          + " "
          + headers.stream().map(h -> h[0] + "=" + abbreviate(h[1])).toList()
          + " body("
          + this.body.length
          + ")="
          + abbreviate(body);
    }

    static String abbreviate(String s) {
      String printable = s.replaceAll("[\\p{Cntrl}]", "?");
      return printable.length() > 80 ? printable.substring(0, 80) + "…" : printable;
    }
  }
}
