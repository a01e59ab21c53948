package dev.coffer.benchmark.bare;

import dev.coffer.core.api.Headers;
import dev.coffer.core.api.SecretView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;

/**
 * The data plane's read path and answer shape ({@code SecretView} and the same headers), with a
 * constant value in place of the replica lookup and the decryption.
 */
@Path("/v1/vaults/{vault}/secrets")
@Produces(MediaType.APPLICATION_JSON)
public final class ConstantSecretResource {
  private final String value;
  private final String createdAt = Instant.now().toString();

  /** What a host answers for a secret's CURRENT version, so the two responses are alike. */
  private static final List<String> STAGES = List.of("CURRENT");

  public ConstantSecretResource(int valueBytes) {
    this.value = "x".repeat(valueBytes);
  }

  @GET
  @Path("{secret}")
  public Response get(
      @PathParam("vault") String vault,
      @PathParam("secret") String secret,
      @QueryParam("version") String version,
      @HeaderParam(Headers.REPLICATION_TOKEN) String token) {
    return Response.ok(new SecretView(vault, secret, 1, createdAt, STAGES, null, value))
        .header(Headers.APPLIED_POSITION, "0.0")
        .header(Headers.SERVED_FROM, "constant")
        .build();
  }
}
