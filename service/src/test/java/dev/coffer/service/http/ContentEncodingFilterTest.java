package dev.coffer.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContentEncodingFilterTest {
  @Test
  void identityAndEmptyTokensAreNoCoding() {
    assertThat(ContentEncodingFilter.codings(null)).isEmpty();
    assertThat(ContentEncodingFilter.codings(List.of("identity", " , IDENTITY"))).isEmpty();
  }

  @Test
  void codingsAreReadCaseInsensitivelyAcrossHeaderLines() {
    assertThat(ContentEncodingFilter.codings(List.of("GZip", "br, identity")))
        .containsExactly("gzip", "br");
    assertThat(ContentEncodingFilter.codings(List.of("x-gzip"))).containsExactly("gzip");
  }
}
