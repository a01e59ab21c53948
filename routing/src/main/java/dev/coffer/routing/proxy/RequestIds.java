package dev.coffer.routing.proxy;

import dev.coffer.core.api.Headers;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The id a forwarded request carries in {@code Coffer-Request-Id}, upstream and back to the client.
 * A fresh random UUID by default: a client's id is not trusted (it could collide on purpose with
 * another request's, or carry text into logs), as Envoy treats an external request's id. A router
 * behind another trusted hop can keep a well-formed one (1–64 of {@code A-Z a-z 0-9 . _ -}).
 */
final class RequestIds {
  private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final boolean preserveClients;

  RequestIds(boolean preserveClients) {
    this.preserveClients = preserveClients;
  }

  String idFor(HttpHeaders request) {
    if (preserveClients) {
      String given = request.get(Headers.REQUEST_ID);
      if (given != null && WELL_FORMED.matcher(given).matches()) {
        return given;
      }
    }
    return fresh();
  }

  static String fresh() {
    return UUID.randomUUID().toString();
  }
}
