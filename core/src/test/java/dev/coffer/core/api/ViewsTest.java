package dev.coffer.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretStage;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.StageMap;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.read.RevealedSecret;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ViewsTest {
  private static final String VALUE = "hunter2-zq7x-value";
  private static final Instant AT = Instant.parse("2030-01-02T03:04:05.123456789Z");

  @Test
  void aFullPageCarriesTheLastNameAsNextAfter() {
    SecretListView view = SecretListView.of("payments", page(3), 3);

    assertThat(view.nextAfter()).isEqualTo("secret-2");
    assertThat(view.vault()).isEqualTo("payments");
    assertThat(view.secrets())
        .extracting(SecretListView.Entry::name)
        .containsExactly("secret-0", "secret-1", "secret-2");
  }

  @Test
  void aShortPageHasNoNextAfter() {
    assertThat(SecretListView.of("payments", page(2), 3).nextAfter()).isNull();
    assertThat(SecretListView.of("payments", page(0), 1).nextAfter()).isNull();
    assertThat(SecretListView.of("payments", page(0), 1).secrets()).isEmpty();
    assertThat(SecretListView.of("payments", page(999), 1000).nextAfter()).isNull();
  }

  @Test
  void aPageOfOneWithLimitOneIsFull() {
    assertThat(SecretListView.of("payments", page(1), 1).nextAfter()).isEqualTo("secret-0");
    assertThat(SecretListView.of("payments", page(1000), 1000).nextAfter()).isEqualTo("secret-999");
  }

  @Test
  void entriesCarryNameVersionAndTime() {
    SecretListView view =
        SecretListView.of("payments", List.of(new SecretMetadata(SecretName.of("db"), 7, AT)), 100);

    assertThat(view.secrets())
        .containsExactly(new SecretListView.Entry("db", 7, "2030-01-02T03:04:05.123456789Z"));
  }

  @Test
  void nextAfterIsLeftOutOfTheJsonWhenAbsent() throws Exception {
    ObjectMapper json = new ObjectMapper();

    JsonNode shortPage = json.readTree(json.writeValueAsString(SecretListView.of("v", page(1), 2)));
    JsonNode fullPage = json.readTree(json.writeValueAsString(SecretListView.of("v", page(2), 2)));

    assertThat(shortPage.has("nextAfter")).isFalse();
    assertThat(fullPage.get("nextAfter").asText()).isEqualTo("secret-1");
  }

  @Test
  void secretViewCarriesTheValueButNeverPrintsIt() {
    SecretView view =
        SecretView.of(
            new RevealedSecret(
                VaultName.of("payments"),
                SecretName.of("db"),
                3,
                AT,
                List.of(SecretStage.CURRENT),
                SecretValue.ofUtf8(VALUE)));

    assertThat(view.value()).isEqualTo(VALUE);
    assertThat(view.vault()).isEqualTo("payments");
    assertThat(view.name()).isEqualTo("db");
    assertThat(view.version()).isEqualTo(3);
    assertThat(view.createdAt()).isEqualTo(AT.toString());
    assertThat(view.stages()).containsExactly("CURRENT");
    assertThat(view.toString()).doesNotContain(VALUE).doesNotContain("zq7x").contains("REDACTED");
    assertThat(String.valueOf(List.of(view))).doesNotContain("zq7x");
  }

  @Test
  void stagesAppearAsNamesAndStageMapsOmitEmptyStages() throws Exception {
    ObjectMapper json = new ObjectMapper();
    SecretView view =
        SecretView.of(
            new RevealedSecret(
                VaultName.of("payments"),
                SecretName.of("db"),
                3,
                AT,
                List.of(SecretStage.PREVIOUS),
                SecretValue.ofUtf8(VALUE)));

    JsonNode read = json.readTree(json.writeValueAsString(view));
    JsonNode map = json.readTree(json.writeValueAsString(StagesView.of(new StageMap(4, 0, 5))));

    assertThat(read.get("stages").toString()).isEqualTo("[\"PREVIOUS\"]");
    assertThat(map.toString()).isEqualTo("{\"CURRENT\":4,\"PENDING\":5}");
  }

  @Test
  void secretViewRefusesAValueThatIsNotText() {
    RevealedSecret binary =
        new RevealedSecret(
            VaultName.of("payments"),
            SecretName.of("db"),
            1,
            AT,
            List.of(),
            SecretValue.ofBytes(new byte[] {(byte) 0xff}));

    assertThatThrownBy(() -> SecretView.of(binary)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void revealedSecretNeverPrintsItsValue() {
    RevealedSecret secret =
        new RevealedSecret(
            VaultName.of("payments"),
            SecretName.of("db"),
            1,
            AT,
            List.of(),
            SecretValue.ofUtf8(VALUE));

    assertThat(secret.toString()).doesNotContain("zq7x");
  }

  @Test
  void putSecretRequestNeverPrintsItsValue() {
    PutSecretRequest request = new PutSecretRequest(VALUE);

    assertThat(request.value()).isEqualTo(VALUE);
    assertThat(request.toString())
        .doesNotContain(VALUE)
        .doesNotContain("zq7x")
        .contains("REDACTED");
  }

  @Test
  void putSecretRequestReadsItsValueFromJson() throws Exception {
    PutSecretRequest request =
        new ObjectMapper().readValue("{\"value\":\"" + VALUE + "\"}", PutSecretRequest.class);

    assertThat(request.value()).isEqualTo(VALUE);
  }

  private static List<SecretMetadata> page(int size) {
    return IntStream.range(0, size)
        .mapToObj(i -> new SecretMetadata(SecretName.of("secret-" + i), i + 1, AT))
        .toList();
  }
}
