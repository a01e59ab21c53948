package dev.coffer.controlplane.resources;

import dev.coffer.core.api.KeyAuditListView;
import dev.coffer.core.api.QueryParams;
import dev.coffer.core.storage.KeyAuditLog;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The key audit trail, read-only: who did what to which key, when, and how it ended. */
@Path("/v1/audit/key-operations")
@Produces(MediaType.APPLICATION_JSON)
public final class KeyAuditResource {
  private final KeyAuditLog audit;

  public KeyAuditResource(KeyAuditLog audit) {
    this.audit = audit;
  }

  @GET
  public KeyAuditListView list(
      @QueryParam("after") String after, @QueryParam("limit") String limit) {
    int max = QueryParams.limit(limit);
    return KeyAuditListView.of(audit.list(QueryParams.afterSequence(after), max), max);
  }
}
