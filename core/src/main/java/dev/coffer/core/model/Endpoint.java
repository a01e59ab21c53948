package dev.coffer.core.model;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where a server's API listens, as other servers reach it: {@code http} or {@code https}, a host
 * and a port, nothing else (no user info, path, query or fragment), e.g. {@code
 * https://10.0.0.7:8410}.
 */
public record Endpoint(String scheme, String host, int port) {
  public Endpoint {
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw invalid();
    }
    if (host == null || host.isEmpty() || host.length() > 253 || port < 1 || port > 65_535) {
      throw invalid();
    }
  }

  /**
   * @throws CofferException {@link ErrorCode#MALFORMED_REQUEST} when {@code text} is not an
   *     endpoint
   */
  public static Endpoint parse(String text) {
    if (text == null || text.length() > 300) {
      throw invalid();
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw invalid();
    }
    String path = uri.getRawPath();
    if (uri.getScheme() == null
        || uri.getHost() == null
        || uri.getPort() < 0
        || uri.getRawUserInfo() != null
        || (path != null && !path.isEmpty())
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw invalid();
    }
    return new Endpoint(uri.getScheme().toLowerCase(Locale.ROOT), uri.getHost(), uri.getPort());
  }

  public boolean tls() {
    return "https".equals(scheme);
  }

  private static CofferException invalid() {
    return new CofferException(
        ErrorCode.MALFORMED_REQUEST,
        "An endpoint is http:// or https://, a host and a port, and nothing else.");
  }

  @Override
  public String toString() {
    return scheme + "://" + host + ":" + port;
  }
}
