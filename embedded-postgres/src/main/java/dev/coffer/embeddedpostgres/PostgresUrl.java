package dev.coffer.embeddedpostgres;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Location and credentials of an external PostgreSQL server, parsed from either a libpq URI ({@code
 * postgresql://user:password@host:5432/postgres?sslmode=require}, also {@code postgres://}) or a
 * JDBC URL ({@code jdbc:postgresql://host:5432/postgres?user=u&password=p}).
 *
 * <p>Credentials in the query ({@code user=}, {@code password=}) win over those before the
 * {@code @}. Other query parameters are kept and passed on in {@link #jdbcUrl}. Defaults: host
 * localhost, port 5432, user postgres, database postgres, no password.
 *
 * @param database the database named in the URL, used to create and drop the test databases
 * @param parameters query parameters other than user and password, in their original order
 */
public record PostgresUrl(
    String host,
    int port,
    String user,
    String password,
    String database,
    Map<String, String> parameters) {

  public static final int DEFAULT_PORT = 5432;

  private static final String USAGE =
      "expected postgresql://user:password@host:port/database or"
          + " jdbc:postgresql://host:port/database?user=...&password=...";

  public PostgresUrl {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(database, "database");
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  public static PostgresUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("empty PostgreSQL URL; " + USAGE);
    }
    String text = url.strip();
    String lower = text.toLowerCase(Locale.ROOT);
    boolean jdbc;
    String rest;
    if (lower.startsWith("jdbc:postgresql://")) {
      jdbc = true;
      rest = text.substring("jdbc:postgresql://".length());
    } else if (lower.startsWith("postgresql://")) {
      jdbc = false;
      rest = text.substring("postgresql://".length());
    } else if (lower.startsWith("postgres://")) {
      jdbc = false;
      rest = text.substring("postgres://".length());
    } else {
      throw new IllegalArgumentException(
          "unsupported PostgreSQL URL " + redact(text) + "; " + USAGE);
    }
    if (rest.indexOf('#') >= 0) {
      rest = rest.substring(0, rest.indexOf('#'));
    }
    String query = "";
    int question = rest.indexOf('?');
    if (question >= 0) {
      query = rest.substring(question + 1);
      rest = rest.substring(0, question);
    }
    String path = "";
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      path = rest.substring(slash + 1);
      rest = rest.substring(0, slash);
    }
    String user = null;
    String password = null;
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = rest.substring(0, at);
      rest = rest.substring(at + 1);
      int colon = userInfo.indexOf(':');
      if (colon >= 0) {
        user = decode(userInfo.substring(0, colon), jdbc, text);
        password = decode(userInfo.substring(colon + 1), jdbc, text);
      } else {
        user = decode(userInfo, jdbc, text);
      }
    }
    if (rest.indexOf(',') >= 0) {
      throw new IllegalArgumentException(
          "multiple hosts are not supported in " + redact(text) + "; name a single server");
    }
    String host;
    String portText = "";
    if (rest.startsWith("[")) {
      int close = rest.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unterminated IPv6 address in " + redact(text));
      }
      host = rest.substring(1, close);
      String after = rest.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw new IllegalArgumentException("garbage after IPv6 address in " + redact(text));
        }
        portText = after.substring(1);
      }
    } else {
      int colon = rest.lastIndexOf(':');
      if (colon >= 0) {
        host = rest.substring(0, colon);
        portText = rest.substring(colon + 1);
      } else {
        host = rest;
      }
      host = decode(host, jdbc, text);
    }
    int port = DEFAULT_PORT;
    if (!portText.isEmpty()) {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid port '" + portText + "' in " + redact(text));
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port out of range in " + redact(text));
      }
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : query.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String key = decode(equals < 0 ? pair : pair.substring(0, equals), jdbc, text);
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1), jdbc, text);
      switch (key) {
        case "user" -> user = value;
        case "password" -> password = value;
        default -> parameters.put(key, value);
      }
    }
    String database = decode(path, jdbc, text);
    return new PostgresUrl(
        host.isEmpty() ? "localhost" : host,
        port,
        user == null || user.isEmpty() ? "postgres" : user,
        password == null ? "" : password,
        database.isEmpty() ? "postgres" : database,
        parameters);
  }

  /** JDBC URL of {@code database} on this server, with the extra parameters but no credentials. */
  public String jdbcUrl(String database) {
    String hostPart = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    StringBuilder url =
        new StringBuilder("jdbc:postgresql://")
            .append(hostPart)
            .append(':')
            .append(port)
            .append('/')
            .append(URLEncoder.encode(database, StandardCharsets.UTF_8));
    if (!parameters.isEmpty()) {
      StringJoiner query = new StringJoiner("&", "?", "");
      parameters.forEach(
          (key, value) ->
              query.add(
                  URLEncoder.encode(key, StandardCharsets.UTF_8)
                      + "="
                      + URLEncoder.encode(value, StandardCharsets.UTF_8)));
      url.append(query);
    }
    return url.toString();
  }

  /** Keeps the password out of logs and assertion messages. */
  @Override
  public String toString() {
    return "PostgresUrl[host="
        + host
        + ", port="
        + port
        + ", user="
        + user
        + ", password="
        + (password.isEmpty() ? "" : "***")
        + ", database="
        + database
        + ", parameters="
        + parameters
        + "]";
  }

  /**
   * Percent-decoding. libpq URIs follow RFC 3986, where '+' is a plain character; pgjdbc decodes
   * its URLs with URLDecoder, where '+' means a space. Each form keeps its own meaning.
   */
  static String decode(String text, boolean plusIsSpace, String wholeUrl) {
    if (text.indexOf('%') < 0 && !(plusIsSpace && text.indexOf('+') >= 0)) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()) {
          throw new IllegalArgumentException("truncated %-escape in " + redact(wholeUrl));
        }
        int high = Character.digit(text.charAt(i + 1), 16);
        int low = Character.digit(text.charAt(i + 2), 16);
        if (high < 0 || low < 0) {
          throw new IllegalArgumentException("invalid %-escape in " + redact(wholeUrl));
        }
        bytes.write(high * 16 + low);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        bytes.write(' ');
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
          encoded = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.writeBytes(encoded);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** The URL with any password replaced, for error messages. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***")
        .replaceAll("(//[^/:@]*:)[^/]*@", "$1***@");
  }
}
