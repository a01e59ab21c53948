package dev.coffer.core.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.core.read.RevealedSecret;

/**
 * A secret version with its value: only ever sent in a response with Cache-Control: no-store. The
 * control plane adds the version's activation state; hosts answer only with what they have applied.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretView(
    @JsonProperty("vault") String vault,
    @JsonProperty("name") String name,
    @JsonProperty("version") long version,
    @JsonProperty("createdAt") String createdAt,
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
        null,
        text);
  }

  public SecretView withState(String state) {
    return new SecretView(vault, name, version, createdAt, state, value);
  }

  @Override
  public String toString() {
    return "SecretView[" + vault + "/" + name + " v" + version + ", value=REDACTED]";
  }
}
