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
import dev.coffer.dataplane.read.ApplyTimes;
import dev.coffer.dataplane.read.ReadService;
import dev.coffer.dataplane.read.Served;
import dev.coffer.dataplane.read.ServedFrom;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Secret reads for applications, served by this host. */
@Path("/v1/vaults/{vault}/secrets")
@Produces(MediaType.APPLICATION_JSON)
public final class SecretReadResource {
  private final ReadService reads;
  private final ApplyTimes applyTimes;

  public SecretReadResource(ReadService reads, ApplyTimes applyTimes) {
    this.reads = reads;
    this.applyTimes = applyTimes;
  }

  @GET
  public Response list(
      @PathParam("vault") String vault,
      @QueryParam("after") String after,
      @QueryParam("limit") String limit,
      @HeaderParam(Headers.REPLICATION_TOKEN) String token) {
    int max = QueryParams.limit(limit);
    Optional<ReplicationToken> presented = token(token);
    Served<List<SecretMetadata>> page =
        reads.list(VaultName.of(vault), QueryParams.after(after), max, presented);
    return respond(SecretListView.of(vault, page.answer(), max), page, presented);
  }

  @GET
  @Path("{secret}")
  @SuppressWarnings("try") // the value is held only to be wiped when the answer is built
  public Response get(
      @PathParam("vault") String vault,
      @PathParam("secret") String secret,
      @QueryParam("version") String version,
      @QueryParam("stage") List<String> stage,
      @HeaderParam(Headers.REPLICATION_TOKEN) String token) {
    Optional<ReplicationToken> presented = token(token);
    Served<RevealedSecret> revealed =
        reads.get(
            VaultName.of(vault),
            SecretName.of(secret),
            QueryParams.selector(stage, version),
            presented);
    try (var value = revealed.answer().value()) {
      return respond(SecretView.of(revealed.answer()), revealed, presented);
    }
  }

  /** An absent header asks for nothing; a present one must parse, even when empty. */
  private static Optional<ReplicationToken> token(String header) {
    return header == null ? Optional.empty() : Optional.of(ReplicationToken.parse(header));
  }

  private Response respond(Object body, Served<?> served, Optional<ReplicationToken> token) {
    Response.ResponseBuilder response =
        Response.ok(body)
            .header(Headers.APPLIED_POSITION, served.position().toString())
            .header(Headers.SERVED_FROM, served.from().header());
    // Only a local answer: a remote one says nothing about this host's replica.
    if (token.isPresent() && served.from() == ServedFrom.LOCAL) {
      applyTimes
          .appendedToApplied(token.get().position())
          .ifPresent(took -> response.header(Headers.SERVER_TIMING, applyTiming(took)));
    }
    return response.build();
  }

  /** Milliseconds with microsecond precision, the unit Server Timing asks for. */
  static String applyTiming(Duration took) {
    long micros = TimeUnit.NANOSECONDS.toMicros(took.toNanos());
    return String.format(
        Locale.ROOT, "%s;dur=%d.%03d", Headers.APPLY_TIMING, micros / 1000, micros % 1000);
  }
}
