package dev.coffer.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.error.ErrorCode;
import org.junit.jupiter.api.Test;

class ProtocolErrorsTest {
  @Test
  void aClientErrorFromJettyIsNeverSentAsAServerError() {
    for (int status = 400; status < 500; status++) {
      int sent = ProtocolErrors.codeFor(status).status();
      assertThat(sent).as("%d is sent as", status).isBetween(400, 499);
    }
  }

  @Test
  void theStatusesJettyAnswersKeepTheirOwnCodeAndStatus() {
    for (int status : new int[] {400, 404, 405, 406, 408, 413, 414, 415, 431, 503, 505}) {
      assertThat(ProtocolErrors.codeFor(status).status()).isEqualTo(status);
    }
  }

  @Test
  void anUnknownTransferCodingIsTheClientsMistake() {
    assertThat(ProtocolErrors.codeFor(501)).isEqualTo(ErrorCode.MALFORMED_REQUEST);
  }

  @Test
  void otherServerErrorsAreInternal() {
    assertThat(ProtocolErrors.codeFor(500)).isEqualTo(ErrorCode.INTERNAL_ERROR);
    assertThat(ProtocolErrors.codeFor(502)).isEqualTo(ErrorCode.INTERNAL_ERROR);
  }

  @Test
  void everyCodeHasASentence() {
    for (ErrorCode code : ErrorCode.values()) {
      assertThat(ProtocolErrors.sentence(code)).as(code.name()).endsWith(".");
    }
  }
}
