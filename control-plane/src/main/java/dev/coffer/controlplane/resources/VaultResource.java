package dev.coffer.controlplane.resources;

import dev.coffer.controlplane.vault.VaultService;
import dev.coffer.core.api.CreateVaultRequest;
import dev.coffer.core.api.Headers;
import dev.coffer.core.api.QueryParams;
import dev.coffer.core.api.VaultListView;
import dev.coffer.core.api.VaultView;
import dev.coffer.core.error.CofferException;
import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.VaultName;
import dev.coffer.core.storage.VaultPlacementStore.Placement;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/** Vault administration: create, list, show. */
@Path("/v1/vaults")
@Produces(MediaType.APPLICATION_JSON)
public final class VaultResource {
  private final VaultService vaults;

  public VaultResource(VaultService vaults) {
    this.vaults = vaults;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(CreateVaultRequest request, @Context SecurityContext caller) {
    if (request == null || request.name() == null) {
      throw new CofferException(
          ErrorCode.MALFORMED_REQUEST, "The body must be a JSON object with a 'name' field.");
    }
    VaultService.Created created =
        vaults.create(caller.getUserPrincipal().getName(), VaultName.of(request.name()));
    Placement p = created.placement();
    return Response.created(URI.create("/v1/vaults/" + p.vault()))
        .header(Headers.REPLICATION_TOKEN, created.token().toString())
        .entity(
            new VaultView(
                p.vault().value(),
                p.shard().value(),
                p.createdAt().toString(),
                created.token().toString()))
        .build();
  }

  @GET
  public VaultListView list(@QueryParam("after") String after, @QueryParam("limit") String limit) {
    int max = QueryParams.limit(limit);
    List<Placement> page =
        vaults.list(Optional.ofNullable(after).filter(a -> !a.isEmpty()).map(VaultName::of), max);
    List<VaultView> views = page.stream().map(VaultResource::view).toList();
    String nextAfter = page.size() == max ? page.get(page.size() - 1).vault().value() : null;
    return new VaultListView(views, nextAfter);
  }

  @GET
  @Path("{vault}")
  public VaultView get(@PathParam("vault") String vault) {
    return view(vaults.find(VaultName.of(vault)));
  }

  private static VaultView view(Placement p) {
    return new VaultView(p.vault().value(), p.shard().value(), p.createdAt().toString(), null);
  }
}
