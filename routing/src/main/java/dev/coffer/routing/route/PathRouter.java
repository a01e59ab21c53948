package dev.coffer.routing.route;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.VaultName;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides a request's route from its method and request target, as the servers behind the router
 * would read them. Only the two reads a data-plane host serves go to a cell:
 *
 * <pre>
 * GET|HEAD /v1/vaults/{vault}/secrets/{secret}   → READ (the vault's cell)
 * GET|HEAD /v1/vaults/{vault}/secrets            → READ
 * any      /v1/vaults[/...], /v1/shards[/...], /v1/audit[/...]  → CONTROL
 * anything else                                  → 404 NOT_FOUND
 * </pre>
 *
 * A target the servers refuse before routing (an encoded {@code /}, a dot segment, a backslash, a
 * control character, a path parameter, a bad percent escape, a non-origin form) is refused here the
 * same way, 400 MALFORMED_REQUEST, before the method is looked at; then a method outside the five
 * the API uses is 405; then vault and secret names are checked (400 with their codes).
 */
public final class PathRouter {
  /** The methods the API uses, in the order an {@code Allow} header lists them. */
  public static final List<String> ALLOWED_METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "DELETE");

  private static final Set<String> CONTROL_ROOTS = Set.of("vaults", "shards", "audit");
  private static final String MALFORMED = "The request target is not valid for this API.";

  private PathRouter() {}

  public static Route route(String method, String target) {
    List<String> segments;
    try {
      segments = segments(target);
    } catch (IllegalArgumentException e) {
      return new Route.Refuse(ErrorCode.MALFORMED_REQUEST, MALFORMED);
    }
    if (!ALLOWED_METHODS.contains(method)) {
      return new Route.Refuse(
          ErrorCode.METHOD_NOT_ALLOWED,
          "The method is not allowed; use GET, HEAD, POST, PUT or DELETE.");
    }
    if (segments.size() < 2
        || !segments.get(0).equals("v1")
        || !CONTROL_ROOTS.contains(segments.get(1))
        || segments.contains("")) {
      return new Route.Refuse(ErrorCode.NOT_FOUND, "There is no such resource; check the path.");
    }
    if (!segments.get(1).equals("vaults") || segments.size() == 2) {
      return new Route.Forward(RouteKind.CONTROL, Optional.empty());
    }
    try {
      VaultName vault = VaultName.of(segments.get(2));
      boolean read = method.equals("GET") || method.equals("HEAD");
      boolean secrets = segments.size() >= 4 && segments.get(3).equals("secrets");
      if (read && secrets && segments.size() == 5) {
        SecretName.of(segments.get(4));
        return new Route.Forward(RouteKind.READ, Optional.of(vault));
      }
      if (read && secrets && segments.size() == 4) {
        return new Route.Forward(RouteKind.READ, Optional.of(vault));
      }
      return new Route.Forward(RouteKind.CONTROL, Optional.of(vault));
    } catch (CofferException e) {
      return new Route.Refuse(e.code(), e.getMessage());
    }
  }

  /**
   * The path's segments, percent-decoded, after the leading {@code /}; the query is not looked at
   * beyond its characters.
   *
   * @throws IllegalArgumentException for a target the API refuses before routing
   */
  static List<String> segments(String target) {
    if (target.isEmpty() || target.charAt(0) != '/') {
      throw new IllegalArgumentException("not origin-form");
    }
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '\\' || c == '#') {
        throw new IllegalArgumentException("a character no target holds");
      }
    }
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);
    List<String> segments = new ArrayList<>();
    for (String raw : path.substring(1).split("/", -1)) {
      if (raw.indexOf(';') >= 0) {
        throw new IllegalArgumentException("a path parameter");
      }
      String segment = decode(raw);
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("a dot segment");
      }
      for (int i = 0; i < segment.length(); i++) {
        char c = segment.charAt(i);
        if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
          throw new IllegalArgumentException("an encoded separator or control character");
        }
      }
      segments.add(segment);
    }
    return segments;
  }

  private static String decode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '%') {
        bytes.write(c);
        continue;
      }
      if (i + 2 >= raw.length()) {
        throw new IllegalArgumentException("a truncated percent escape");
      }
      int high = Character.digit(raw.charAt(i + 1), 16);
      int low = Character.digit(raw.charAt(i + 2), 16);
      if (high < 0 || low < 0) {
        throw new IllegalArgumentException("a bad percent escape");
      }
      bytes.write(high << 4 | low);
      i += 2;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("not UTF-8");
    }
  }
}
