package dev.coffer.core.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.core.model.StageMap;

/** A secret's stage map in a response: the version in each stage, absent when none. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StagesView(
    @JsonProperty("CURRENT") Long current,
    @JsonProperty("PREVIOUS") Long previous,
    @JsonProperty("PENDING") Long pending) {

  public static StagesView of(StageMap stages) {
    return new StagesView(
        orNull(stages.current()), orNull(stages.previous()), orNull(stages.pending()));
  }

  private static Long orNull(long version) {
    return version == 0 ? null : version;
  }
}
