package dev.coffer.dataplane.api;

import dev.coffer.core.api.Headers;
import dev.coffer.core.api.QueryParams;
import dev.coffer.core.api.SecretListView;
import dev.coffer.core.api.SecretView;
import dev.coffer.core.model.LogPosition;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.read.RevealedSecret;
import dev.coffer.dataplane.read.ReadService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Secret reads for applications, served by this host. */
@Path("/v1/vaults/{vault}/secrets")
@Produces(MediaType.APPLICATION_JSON)
public final class SecretReadResource {
  private final ReadService reads;

  public SecretReadResource(ReadService reads) {
    this.reads = reads;
  }

  @GET
  public Response list(
      @PathParam("vault") String vault,
      @QueryParam("after") String after,
      @QueryParam("limit") String limit) {
    LogPosition position = reads.position();
    int max = QueryParams.limit(limit);
    SecretListView page =
        SecretListView.of(
            vault, reads.list(VaultName.of(vault), QueryParams.after(after), max), max);
    return respond(page, position);
  }

  @GET
  @Path("{secret}")
  public Response get(
      @PathParam("vault") String vault,
      @PathParam("secret") String secret,
      @QueryParam("version") String version) {
    // Read the position first: the answer then includes at least everything up to it.
    LogPosition position = reads.position();
    RevealedSecret revealed =
        reads.get(VaultName.of(vault), SecretName.of(secret), QueryParams.version(version));
    try (var value = revealed.value()) {
      return respond(SecretView.of(revealed), position);
    }
  }

  private Response respond(Object body, LogPosition position) {
    return Response.ok(body)
        .header(Headers.APPLIED_POSITION, position.toString())
        .header(Headers.SERVED_FROM, reads.servedFrom())
        .build();
  }
}
