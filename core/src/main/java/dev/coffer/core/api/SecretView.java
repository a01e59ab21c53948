package dev.coffer.core.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.core.read.RevealedSecret;
import java.util.List;

/**
 * A secret version with its value: only ever sent in a response with Cache-Control: no-store. The
 * control plane adds the version's activation state; hosts answer only with what they have applied.
 * {@code stages} are the application-level stages the version holds (CURRENT, PREVIOUS, PENDING;
 * empty for a version in none), unrelated to the activation {@code state}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretView(
    @JsonProperty("vault") String vault,
    @JsonProperty("name") String name,
    @JsonProperty("version") long version,
    @JsonProperty("createdAt") String createdAt,
    @JsonProperty("stages") List<String> stages,
    @JsonProperty("state") String state,
    @JsonProperty("value") String value) {

  public static SecretView of(RevealedSecret secret) {
    String text =
        secret
            .value()
            .asUtf8()
            .orElseThrow(() -> new IllegalStateException("values are written as UTF-8 text"));
    return new SecretView(
        secret.vault().value(),
        secret.name().value(),
        secret.version(),
        secret.createdAt().toString(),
        secret.stages().stream().map(Enum::name).toList(),
        null,
        text);
  }

  public SecretView withState(String state) {
    return new SecretView(vault, name, version, createdAt, stages, state, value);
  }

  @Override
  public String toString() {
    return "SecretView[" + vault + "/" + name + " v" + version + ", value=REDACTED]";
  }
}
