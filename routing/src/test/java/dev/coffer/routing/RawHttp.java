package dev.coffer.routing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A client that writes exactly the bytes a test gives it, so that malformed and hostile requests
 * reach the router as written, and reads answers as they come (Content-Length, chunked, or until
 * the connection closes).
 */
final class RawHttp implements AutoCloseable {
  /** An answer; header names lower-case, repeated headers joined with ", ". */
  record Answer(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final Socket socket;
  private final InputStream in;

  RawHttp(int port) throws IOException {
    this(new Socket(InetAddress.getLoopbackAddress(), port));
  }

  /** Over a socket of the caller's (a TLS one, say). */
  RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(20_000);
    in = new BufferedInputStream(socket.getInputStream());
  }

  static Answer once(int port, String request) throws IOException {
    try (RawHttp http = new RawHttp(port)) {
      return http.send(request);
    }
  }

  /** A request with the usual headers around a method and target. */
  static String request(String method, String target, String... headers) {
    StringBuilder text = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: router\r\n");
    for (String header : headers) {
      text.append(header).append("\r\n");
    }
    return text.append("\r\n").toString();
  }

  Answer send(String request) throws IOException {
    write(request.getBytes(StandardCharsets.ISO_8859_1));
    return read(request.startsWith("HEAD "));
  }

  void write(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  Answer read(boolean head) throws IOException {
    String status = line();
    if (status == null) {
      throw new IOException("the connection closed without an answer");
    }
    Map<String, String> headers = new TreeMap<>();
    for (String header = line(); header != null && !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      headers.merge(
          header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          header.substring(colon + 1).trim(),
          (a, b) -> a + ", " + b);
    }
    int code = Integer.parseInt(status.split(" ", -1)[1]);
    byte[] body;
    if (head || code == 204 || code == 304) {
      body = new byte[0];
    } else if (headers.containsKey("content-length")) {
      body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = chunked();
    } else {
      body = in.readAllBytes();
    }
    return new Answer(code, headers, new String(body, StandardCharsets.UTF_8));
  }

  private byte[] chunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      int size = Integer.parseInt(line().split(";", -1)[0].trim(), 16);
      if (size == 0) {
        while (!line().isEmpty()) {}
        return body.toByteArray();
      }
      body.writeBytes(in.readNBytes(size));
      line();
    }
  }

  /** Whether the router closed the connection (reads until EOF, within the socket's timeout). */
  boolean closedByPeer() throws IOException {
    try {
      return in.read() < 0;
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  private String line() throws IOException {
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

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
