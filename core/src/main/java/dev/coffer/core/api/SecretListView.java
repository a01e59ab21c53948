package dev.coffer.core.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.core.model.SecretMetadata;
import java.util.List;

/** Body of a secret listing: names and metadata, never values. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretListView(
    @JsonProperty("vault") String vault,
    @JsonProperty("secrets") List<Entry> secrets,
    @JsonProperty("nextAfter") String nextAfter) {

  /** One listed secret. */
  public record Entry(
      @JsonProperty("name") String name,
      @JsonProperty("latestVersion") long latestVersion,
      @JsonProperty("updatedAt") String updatedAt) {}

  public static SecretListView of(String vault, List<SecretMetadata> page, int limit) {
    List<Entry> entries =
        page.stream()
            .map(m -> new Entry(m.name().value(), m.latestVersion(), m.updatedAt().toString()))
            .toList();
    String nextAfter = page.size() == limit ? page.get(page.size() - 1).name().value() : null;
    return new SecretListView(vault, entries, nextAfter);
  }
}
