package dev.coffer.controlplane.resources;

import dev.coffer.controlplane.secret.SecretService;
import dev.coffer.core.api.Headers;
import dev.coffer.core.api.PutSecretRequest;
import dev.coffer.core.api.QueryParams;
import dev.coffer.core.api.SecretListView;
import dev.coffer.core.api.SecretView;
import dev.coffer.core.api.SecretWriteView;
import dev.coffer.core.api.StagesView;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.SecretName;
import dev.coffer.core.model.SecretStage;
import dev.coffer.core.model.SecretValue;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.read.RevealedSecret;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/** Secret writes, and reads straight from the shard store. */
@Path("/v1/vaults/{vault}/secrets")
@Produces(MediaType.APPLICATION_JSON)
public final class SecretResource {
  private final SecretService secrets;

  public SecretResource(SecretService secrets) {
    this.secrets = secrets;
  }

  @GET
  public SecretListView list(
      @PathParam("vault") String vault,
      @QueryParam("after") String after,
      @QueryParam("limit") String limit) {
    VaultName name = VaultName.of(vault);
    int max = QueryParams.limit(limit);
    return SecretListView.of(vault, secrets.list(name, QueryParams.after(after), max), max);
  }

  @PUT
  @Path("{secret}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response put(
      @PathParam("vault") String vault,
      @PathParam("secret") String secret,
      @QueryParam("stage") List<String> stage,
      PutSecretRequest request) {
    VaultName vaultName = VaultName.of(vault);
    SecretName secretName = SecretName.of(secret);
    SecretStage putStage = QueryParams.putStage(stage);
    if (request == null || request.value() == null) {
      throw new CofferException(
          ErrorCode.MALFORMED_REQUEST, "The body must be a JSON object with a 'value' field.");
    }
    SecretService.Written written;
    try (SecretValue value = SecretValue.ofUtf8(request.value())) {
      written = secrets.put(vaultName, secretName, putStage, value);
    }
    return Response.created(
            URI.create(
                "/v1/vaults/" + vault + "/secrets/" + secret + "?version=" + written.version()))
        .header(Headers.REPLICATION_TOKEN, written.token().toString())
        .entity(
            new SecretWriteView(
                vault,
                secret,
                written.version(),
                "PENDING",
                StagesView.of(written.stages()),
                null,
                written.token().toString()))
        .build();
  }

  /**
   * Makes {@code ?version=N} CURRENT (the old CURRENT becomes PREVIOUS). Promoting the version that
   * is already CURRENT answers the same way and changes nothing, so a retry is safe.
   */
  @POST
  @Path("{secret}/promote")
  public Response promote(
      @PathParam("vault") String vault,
      @PathParam("secret") String secret,
      @QueryParam("version") String version) {
    VaultName vaultName = VaultName.of(vault);
    SecretName secretName = SecretName.of(secret);
    SecretService.Written written =
        secrets.promote(vaultName, secretName, QueryParams.requiredVersion(version));
    return Response.ok(
            new SecretWriteView(
                vault,
                secret,
                written.version(),
                null,
                StagesView.of(written.stages()),
                null,
                written.token().toString()))
        .header(Headers.REPLICATION_TOKEN, written.token().toString())
        .build();
  }

  @GET
  @Path("{secret}")
  @SuppressWarnings("try") // the value is held only to be wiped when the view is built
  public SecretView get(
      @PathParam("vault") String vault,
      @PathParam("secret") String secret,
      @QueryParam("version") String version,
      @QueryParam("stage") List<String> stage) {
    RevealedSecret revealed =
        secrets.get(
            VaultName.of(vault), SecretName.of(secret), QueryParams.selector(stage, version));
    try (var value = revealed.value()) {
      return SecretView.of(revealed)
          .withState(secrets.state(revealed.vault(), revealed.name(), revealed.version()));
    }
  }

  /**
   * Whether a version is ACTIVE (applied on every member host of its cell) or still PENDING,
   * without its value: what a deployment waiting for a new version to reach every host needs, with
   * nothing decrypted and no plaintext on the wire.
   */
  @GET
  @Path("{secret}/versions/{version}/state")
  public VersionStateView versionState(
      @PathParam("vault") String vault,
      @PathParam("secret") String secret,
      @PathParam("version") String version) {
    VaultName vaultName = VaultName.of(vault);
    SecretName secretName = SecretName.of(secret);
    long number =
        QueryParams.version(version)
            .orElseThrow(() -> new IllegalStateException("a path parameter is never empty"));
    return new VersionStateView(
        vaultName.value(),
        secretName.value(),
        number,
        secrets.versionState(vaultName, secretName, number).name());
  }

  /** The answer of {@link #versionState}. */
  public record VersionStateView(String vault, String name, long version, String state) {}

  @DELETE
  @Path("{secret}")
  public Response delete(@PathParam("vault") String vault, @PathParam("secret") String secret) {
    SecretService.Written written = secrets.delete(VaultName.of(vault), SecretName.of(secret));
    return Response.ok(
            new SecretWriteView(vault, secret, null, null, null, true, written.token().toString()))
        .header(Headers.REPLICATION_TOKEN, written.token().toString())
        .build();
  }
}
