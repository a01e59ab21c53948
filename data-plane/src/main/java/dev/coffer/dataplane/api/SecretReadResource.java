package dev.coffer.dataplane.api;

import dev.coffer.core.api.Headers;
import dev.coffer.core.api.QueryParams;
import dev.coffer.core.api.SecretListView;
import dev.coffer.core.api.SecretView;
import dev.coffer.core.model.ReplicationToken;
import dev.coffer.core.model.SecretMetadata;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.read.RevealedSecret;
import dev.coffer.dataplane.read.ReadService;
import dev.coffer.dataplane.read.Served;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;

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
      @QueryParam("limit") String limit,
      @HeaderParam(Headers.REPLICATION_TOKEN) String token) {
    int max = QueryParams.limit(limit);
    Served<List<SecretMetadata>> page =
        reads.list(VaultName.of(vault), QueryParams.after(after), max, token(token));
    return respond(SecretListView.of(vault, page.answer(), max), page);
  }

  @GET
  @Path("{secret}")
  public Response get(
      @PathParam("vault") String vault,
      @PathParam("secret") String secret,
      @QueryParam("version") String version,
      @QueryParam("stage") String stage,
      @HeaderParam(Headers.REPLICATION_TOKEN) String token) {
    Served<RevealedSecret> revealed =
        reads.get(
            VaultName.of(vault),
            SecretName.of(secret),
            QueryParams.selector(stage, version),
            token(token));
    try (var value = revealed.answer().value()) {
      return respond(SecretView.of(revealed.answer()), revealed);
    }
  }

  /** An absent header asks for nothing; a present one must parse, even when empty. */
  private static Optional<ReplicationToken> token(String header) {
    return header == null ? Optional.empty() : Optional.of(ReplicationToken.parse(header));
  }

  private static Response respond(Object body, Served<?> served) {
    return Response.ok(body)
        .header(Headers.APPLIED_POSITION, served.position().toString())
        .header(Headers.SERVED_FROM, served.from().header())
        .build();
  }
}
