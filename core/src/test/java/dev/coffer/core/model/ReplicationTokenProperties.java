package dev.coffer.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicationTokenProperties {

  @Test
  void parseInvertsToString() {
    qt().withExamples(500)
        .forAll(ModelGenerators.shardIds(), ModelGenerators.logPositions())
        .checkAssert(ReplicationTokenProperties::parseInvertsToString);
  }

  private static void parseInvertsToString(ShardId shard, LogPosition position) {
    ReplicationToken token = new ReplicationToken(shard, position);
    String text = token.toString();

    assertThat(text).isEqualTo(shard.value() + ":" + position.txId() + "." + position.seq());
    assertThat(ReplicationToken.parse(text)).isEqualTo(token);
  }

  @Test
  void anyTruncationOfATokenIsRejected() {
    qt().withExamples(300)
        .forAll(ModelGenerators.shardIds(), ModelGenerators.logPositions())
        .checkAssert(ReplicationTokenProperties::anyTruncationIsRejected);
  }

  private static void anyTruncationIsRejected(ShardId shard, LogPosition position) {
    String text = new ReplicationToken(shard, position).toString();
    int colon = text.indexOf(':');
    // Cutting inside or right after the shard, or right after the dot, leaves no valid token.
    for (int end = 0; end <= colon + 1; end++) {
      assertRejected(text.substring(0, end));
    }
    assertRejected(text.substring(0, text.indexOf('.') + 1));
  }

  @Test
  void parsesTheDocumentedForm() {
    ReplicationToken token = ReplicationToken.parse("shard-1:1234.56");

    assertThat(token.shard()).isEqualTo(ShardId.of("shard-1"));
    assertThat(token.position()).isEqualTo(new LogPosition(1234, 56));
  }

  @Test
  void malformedTokensAreRejectedWithTheirOwnCode() {
    for (String text :
        Arrays.asList(
            null,
            "",
            ":",
            "shard-1",
            "shard-1:",
            "shard-1:1",
            "shard-1:1.",
            "shard-1:.2",
            "shard-1:a.b",
            "Shard:1.2",
            ":1.2",
            "-shard:1.2",
            "shard_1:1.2",
            "shard-1:-1.2",
            "shard-1:1.-2",
            "shard-1:1.2.3",
            "shard-1:1.2:3",
            "shard-1::1.2",
            " shard-1:1.2",
            "shard-1:1.2 ",
            "shard-1:9223372036854775808.0",
            "s".repeat(33) + ":1.2")) {
      assertRejected(text);
    }
  }

  @Test
  void rejectionDoesNotEchoTheToken() {
    for (String text :
        List.of(
            "zq7xmarker:x.y",
            "shard-1:zq7xmarker",
            "ZQ7XMARKER:1.2",
            "zq7xmarker" + "a".repeat(40) + ":1.2")) {
      assertThatThrownBy(() -> ReplicationToken.parse(text))
          .isInstanceOfSatisfying(
              CofferException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REPLICATION_TOKEN);
                assertThat(e.getMessage()).doesNotContainIgnoringCase("zq7xmarker");
              });
    }
  }

  private static void assertRejected(String text) {
    assertThatThrownBy(() -> ReplicationToken.parse(text))
        .as("\"%s\"", text)
        .isInstanceOfSatisfying(
            CofferException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REPLICATION_TOKEN));
  }
}
