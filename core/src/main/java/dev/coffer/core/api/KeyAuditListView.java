package dev.coffer.core.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.core.audit.KeyAuditRecord;
import java.util.List;

/**
 * Body of {@code GET /v1/audit/key-operations}; {@code nextAfter} is set when there may be more.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyAuditListView(
    @JsonProperty("records") List<Entry> records, @JsonProperty("nextAfter") Long nextAfter) {

  /** One recorded key operation. */
  public record Entry(
      @JsonProperty("sequence") long sequence,
      @JsonProperty("recordedAt") String recordedAt,
      @JsonProperty("actor") String actor,
      @JsonProperty("operation") String operation,
      @JsonProperty("subject") String subject,
      @JsonProperty("outcome") String outcome,
      @JsonProperty("detail") String detail) {}

  public static KeyAuditListView of(List<KeyAuditRecord> page, int limit) {
    List<Entry> entries =
        page.stream()
            .map(
                r ->
                    new Entry(
                        r.sequence(),
                        r.recordedAt().toString(),
                        r.entry().actor(),
                        r.entry().operation().name(),
                        r.entry().subject(),
                        r.entry().outcome().name(),
                        r.entry().detail()))
            .toList();
    Long next = page.size() == limit ? page.get(page.size() - 1).sequence() : null;
    return new KeyAuditListView(entries, next);
  }
}
