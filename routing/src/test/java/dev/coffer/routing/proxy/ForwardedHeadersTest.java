package dev.coffer.routing.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.routing.table.Upstream;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class ForwardedHeadersTest {
  private static final Upstream HOST = new Upstream("127.0.0.1", 8410);

  private static HttpHeaders clientRequest() {
    HttpHeaders headers = new DefaultHttpHeaders();
    headers.add("Host", "router.example:8480");
    headers.add("Authorization", "Bearer token-of-the-client");
    headers.add("Content-Type", "application/json");
    headers.add("Content-Encoding", "gzip");
    headers.add("Coffer-Replication-Token", "shard-1:746.1");
    headers.add("Coffer-Request-Id", "chosen-by-client");
    headers.add("Connection", "keep-alive, X-Private-Hop");
    headers.add("X-Private-Hop", "1");
    headers.add("Keep-Alive", "timeout=5");
    headers.add("Proxy-Authorization", "Basic abc");
    headers.add("TE", "trailers");
    headers.add("Transfer-Encoding", "chunked");
    headers.add("Upgrade", "h2c");
    headers.add("Expect", "100-continue");
    headers.add("Accept-Encoding", "gzip, br");
    headers.add("Content-Length", "999");
    headers.add("Accept", "application/json");
    return headers;
  }

  @Test
  void endToEndHeadersAndEveryCofferHeaderReachTheUpstream() {
    HttpHeaders forwarded = ForwardedHeaders.toUpstream(clientRequest(), HOST, "id-1", 12, true);
    assertThat(forwarded.get("Authorization")).isEqualTo("Bearer token-of-the-client");
    assertThat(forwarded.get("Content-Type")).isEqualTo("application/json");
    assertThat(forwarded.get("Content-Encoding")).isEqualTo("gzip");
    assertThat(forwarded.get("Accept")).isEqualTo("application/json");
    assertThat(forwarded.get("Coffer-Replication-Token")).isEqualTo("shard-1:746.1");
  }

  @Test
  void hopByHopHeadersAndThoseConnectionNamesStayOnTheClientsHop() {
    HttpHeaders forwarded = ForwardedHeaders.toUpstream(clientRequest(), HOST, "id-1", 12, true);
    for (String name :
        new String[] {
          "Connection",
          "X-Private-Hop",
          "Keep-Alive",
          "Proxy-Authorization",
          "TE",
          "Transfer-Encoding",
          "Upgrade",
          "Expect",
          "Accept-Encoding"
        }) {
      assertThat(forwarded.contains(name)).as(name).isFalse();
    }
  }

  @Test
  void theRouterSetsHostLengthAndItsOwnRequestId() {
    HttpHeaders forwarded = ForwardedHeaders.toUpstream(clientRequest(), HOST, "id-1", 12, true);
    assertThat(forwarded.getAll("Host")).containsExactly("127.0.0.1:8410");
    assertThat(forwarded.getAll("Content-Length")).containsExactly("12");
    assertThat(forwarded.getAll("Coffer-Request-Id")).containsExactly("id-1");
  }

  @Test
  void aBodilessReadCarriesNoLengthAndAnEmptyWriteCarriesZero() {
    HttpHeaders read = new DefaultHttpHeaders().add("Host", "r");
    assertThat(ForwardedHeaders.toUpstream(read, HOST, "id", 0, false).contains("Content-Length"))
        .isFalse();
    assertThat(ForwardedHeaders.toUpstream(read, HOST, "id", 0, true).get("Content-Length"))
        .isEqualTo("0");
  }

  @Test
  void anIpv6UpstreamIsNamedInBrackets() {
    HttpHeaders forwarded =
        ForwardedHeaders.toUpstream(
            new DefaultHttpHeaders(), Upstream.parse("[::1]:8410"), "id", 0, false);
    assertThat(forwarded.get("Host")).isEqualTo("[::1]:8410");
  }

  @Test
  void anAnswersCofferHeadersReachTheClientAndItsHopHeadersDoNot() {
    HttpHeaders answer = new DefaultHttpHeaders();
    answer.add("Content-Type", "application/json");
    answer.add("Cache-Control", "no-store");
    answer.add("Coffer-Applied-Position", "746.1");
    answer.add("Coffer-Served-From", "local");
    answer.add("Coffer-Request-Id", "upstream-made-its-own");
    answer.add("Connection", "close, X-Upstream-Hop");
    answer.add("X-Upstream-Hop", "1");
    answer.add("Keep-Alive", "timeout=30");
    answer.add("Transfer-Encoding", "chunked");

    HttpHeaders forwarded = ForwardedHeaders.toClient(answer, "id-1");
    assertThat(forwarded.get("Coffer-Applied-Position")).isEqualTo("746.1");
    assertThat(forwarded.get("Coffer-Served-From")).isEqualTo("local");
    assertThat(forwarded.get("Cache-Control")).isEqualTo("no-store");
    assertThat(forwarded.getAll("Coffer-Request-Id")).containsExactly("id-1");
    for (String name :
        new String[] {"Connection", "X-Upstream-Hop", "Keep-Alive", "Transfer-Encoding"}) {
      assertThat(forwarded.contains(name)).as(name).isFalse();
    }
  }

  @Test
  void aClientsRequestIdIsReplacedUnlessTheRouterIsToldToKeepAWellFormedOne() {
    HttpHeaders request = new DefaultHttpHeaders().add("Coffer-Request-Id", "trace-42.a_b");
    assertThat(new RequestIds(false).idFor(request)).isNotEqualTo("trace-42.a_b");
    assertThat(new RequestIds(true).idFor(request)).isEqualTo("trace-42.a_b");
    HttpHeaders odd = new DefaultHttpHeaders().add("Coffer-Request-Id", "has space");
    assertThat(new RequestIds(true).idFor(odd)).matches("[0-9a-f-]{36}");
  }
}
