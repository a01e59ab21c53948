package dev.coffer.routing;

import dev.coffer.routing.table.Upstream;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ServerSocketFactory;

/**
 * A stand-in for a control plane or a data-plane host on a real socket: it names itself in a {@code
 * Coffer-Upstream} header, records the requests it got, and can be told to fail (500), stall,
 * answer garbage, reset the connection, or stop listening (connection refused) and start again on
 * the same port.
 */
final class FakeUpstream implements AutoCloseable {
  enum Mode {
    OK,
    FAIL,
    STALL,
    GARBAGE,
    RESET
  }

  /** One request as the upstream received it: request line, headers (lower-case names), body. */
  record Received(String method, String target, Map<String, String> headers, byte[] body) {}

  private static final Pattern SIZE = Pattern.compile("size=(\\d+)");

  private final String name;
  private final int port;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<Socket> connections = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final ServerSocketFactory sockets;
  private volatile Mode mode = Mode.OK;
  private volatile ServerSocket server;

  FakeUpstream(String name) throws IOException {
    this(name, ServerSocketFactory.getDefault());
  }

  /** An upstream whose connections are made by {@code sockets} (TLS ones, say). */
  FakeUpstream(String name, ServerSocketFactory sockets) throws IOException {
    this.name = name;
    this.sockets = sockets;
    this.server = bind(0);
    this.port = server.getLocalPort();
    acceptLoop(server);
  }

  private ServerSocket bind(int port) throws IOException {
    ServerSocket socket = sockets.createServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return socket;
  }

  String name() {
    return name;
  }

  Upstream upstream() {
    return new Upstream("127.0.0.1", port);
  }

  int port() {
    return port;
  }

  void mode(Mode mode) {
    this.mode = mode;
  }

  List<Received> received() {
    return received;
  }

  int requests() {
    return received.size();
  }

  /** Connections the router holds open to this upstream now. */
  int openConnections() {
    return connections.size();
  }

  /** Stops listening and drops every connection: new connections are refused. */
  synchronized void stop() throws IOException {
    if (server != null) {
      server.close();
      server = null;
    }
    for (Socket connection : connections) {
      connection.close();
    }
    connections.clear();
  }

  synchronized void start() throws IOException {
    if (server == null) {
      server = bind(port);
      acceptLoop(server);
    }
  }

  @Override
  public void close() throws IOException {
    stop();
  }

  private void acceptLoop(ServerSocket listening) {
    Thread thread =
        new Thread(
            () -> {
              while (!listening.isClosed()) {
                try {
                  Socket connection = listening.accept();
                  accepted.incrementAndGet();
                  connections.add(connection);
                  Thread serving = new Thread(() -> serve(connection), name + "-connection");
                  serving.setDaemon(true);
                  serving.start();
                } catch (IOException e) {
                  return;
                }
              }
            },
            name + "-accept");
    thread.setDaemon(true);
    thread.start();
  }

  private void serve(Socket connection) {
    try (connection) {
      InputStream in = new BufferedInputStream(connection.getInputStream());
      OutputStream out = connection.getOutputStream();
      while (true) {
        Received request = read(in);
        if (request == null) {
          return;
        }
        received.add(request);
        switch (mode) {
          case OK -> out.write(answer(200, request));
          case FAIL -> out.write(answer(500, request));
          case GARBAGE -> {
            out.write("SPEAKING NO HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return;
          }
          case RESET -> {
            connection.setSoLinger(true, 0);
            return;
          }
          case STALL -> {
            // Holds the connection until the router gives up on it (or the upstream stops).
            while (in.read() >= 0) {}
            return;
          }
        }
        out.flush();
      }
    } catch (IOException e) {
      // The router or the test closed the connection.
    } finally {
      connections.remove(connection);
    }
  }

  /**
   * The answer: a small JSON body naming the upstream, or with {@code size=N} in the target N bytes
   * of {@code x}, sent in 8 KiB chunks when the target also has {@code chunked=1}.
   */
  private byte[] answer(int status, Received request) {
    String body =
        "{\"upstream\":\""
            + name
            + "\",\"method\":\""
            + request.method()
            + "\",\"bytes\":"
            + request.body().length
            + "}";
    Matcher size = SIZE.matcher(request.target());
    if (size.find()) {
      body = "x".repeat(Integer.parseInt(size.group(1)));
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    boolean chunked = request.target().contains("chunked=1");
    String head =
        "HTTP/1.1 "
            + status
            + (status == 200 ? " OK" : " Server Error")
            + "\r\nContent-Type: application/json\r\nCoffer-Upstream: "
            + name
            + "\r\nCoffer-Applied-Position: 7.1\r\nCoffer-Request-Id: made-upstream"
            + "\r\nConnection: keep-alive, X-Upstream-Hop\r\nX-Upstream-Hop: 1"
            + "\r\nKeep-Alive: timeout=30\r\n"
            + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + bytes.length)
            + "\r\n\r\n";
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    answer.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    if (request.method().equals("HEAD")) {
      return answer.toByteArray();
    }
    if (!chunked) {
      answer.writeBytes(bytes);
      return answer.toByteArray();
    }
    for (int at = 0; at < bytes.length; at += 8192) {
      int length = Math.min(8192, bytes.length - at);
      answer.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      answer.write(bytes, at, length);
      answer.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    answer.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return answer.toByteArray();
  }

  /** Reads one request (Content-Length bodies only: the router always sends one); null at EOF. */
  private static Received read(InputStream in) throws IOException {
    String requestLine = line(in);
    if (requestLine == null) {
      return null;
    }
    String[] parts = requestLine.split(" ", -1);
    Map<String, String> headers = new TreeMap<>();
    for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
      int colon = header.indexOf(':');
      String key = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim();
      headers.merge(key, value, (a, b) -> a + ", " + b);
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Received(parts[0], parts[1], headers, body);
  }

  private static String line(InputStream in) throws IOException {
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
}
