package dev.coffer.controlplane.resources;

import dev.coffer.controlplane.rotation.VaultKeyRotation;
import dev.coffer.core.api.Headers;
import dev.coffer.core.api.QueryParams;
import dev.coffer.core.api.VaultKeysView;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.VaultName;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/** A vault's key versions: show them with rewrap progress, rotate, destroy a retired version. */
@Path("/v1/vaults/{vault}/keys")
@Produces(MediaType.APPLICATION_JSON)
public final class VaultKeyResource {
  private final VaultKeyRotation rotation;

  public VaultKeyResource(VaultKeyRotation rotation) {
    this.rotation = rotation;
  }

  @GET
  public VaultKeysView status(@PathParam("vault") String vault) {
    VaultName name = VaultName.of(vault);
    return VaultKeysView.of(rotation.status(name), null);
  }

  @POST
  @Path("rotate")
  public Response rotate(@PathParam("vault") String vault, @Context SecurityContext caller) {
    VaultName name = VaultName.of(vault);
    VaultKeyRotation.Changed changed = rotation.rotate(caller.getUserPrincipal().getName(), name);
    return changedResponse(name, changed);
  }

  @DELETE
  @Path("{version}")
  public Response destroy(
      @PathParam("vault") String vault,
      @PathParam("version") String version,
      @Context SecurityContext caller) {
    VaultName name = VaultName.of(vault);
    VaultKeyRotation.Changed changed =
        rotation.destroy(caller.getUserPrincipal().getName(), name, keyVersion(version));
    return changedResponse(name, changed);
  }

  private Response changedResponse(VaultName vault, VaultKeyRotation.Changed changed) {
    String token = changed.token().toString();
    return Response.ok(VaultKeysView.of(rotation.status(vault), token))
        .header(Headers.REPLICATION_TOKEN, token)
        .build();
  }

  /** Vault key versions are ints; a larger number names no version and is refused as invalid. */
  private static int keyVersion(String text) {
    long version = QueryParams.version(text).orElse(0);
    if (version < 1 || version > Integer.MAX_VALUE) {
      throw new CofferException(
          ErrorCode.INVALID_VERSION, "A vault key version is a whole number from 1.");
    }
    return (int) version;
  }
}
