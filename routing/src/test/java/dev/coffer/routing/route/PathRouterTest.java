package dev.coffer.routing.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.core.error.ErrorCode;
import dev.coffer.core.model.VaultName;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathRouterTest {
  private static final Optional<VaultName> PAYMENTS = Optional.of(VaultName.of("payments"));

  @ParameterizedTest
  @CsvSource({
    "GET, /v1/vaults/payments/secrets/db-password",
    "GET, /v1/vaults/payments/secrets/db-password?version=2",
    "HEAD, /v1/vaults/payments/secrets/db-password?stage=PREVIOUS",
    "GET, /v1/vaults/payments/secrets",
    "GET, /v1/vaults/payments/secrets?after=a&limit=10",
    "HEAD, /v1/vaults/payments/secrets",
    "GET, /v1/vaults/pay%6dents/secrets",
  })
  void aVaultsSecretReadsGoToItsCell(String method, String target) {
    assertThat(PathRouter.route(method, target))
        .isEqualTo(new Route.Forward(RouteKind.READ, PAYMENTS));
  }

  @ParameterizedTest
  @CsvSource({
    "PUT, /v1/vaults/payments/secrets/db-password",
    "POST, /v1/vaults/payments/secrets/db-password/promote?version=2",
    "DELETE, /v1/vaults/payments/secrets/db-password",
    "GET, /v1/vaults/payments/secrets/db-password/versions/3/state",
    "GET, /v1/vaults/payments",
    "GET, /v1/vaults/payments/keys",
    "POST, /v1/vaults/payments/keys/rotate",
    "DELETE, /v1/vaults/payments/keys/1",
    "POST, /v1/vaults/payments/secrets",
  })
  void everythingElseAboutAVaultGoesToAControlPlane(String method, String target) {
    assertThat(PathRouter.route(method, target))
        .isEqualTo(new Route.Forward(RouteKind.CONTROL, PAYMENTS));
  }

  @ParameterizedTest
  @CsvSource({
    "POST, /v1/vaults",
    "GET, /v1/vaults?after=a&limit=5",
    "GET, /v1/shards",
    "GET, /v1/shards/shard-1/hosts",
    "DELETE, /v1/shards/shard-1/hosts/host-1",
    "GET, /v1/audit/key-operations?after=3",
  })
  void callsNamingNoVaultGoToAControlPlane(String method, String target) {
    assertThat(PathRouter.route(method, target))
        .isEqualTo(new Route.Forward(RouteKind.CONTROL, Optional.empty()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v1/vaults/a%2Fb/secrets",
        "/v1/vaults/a%2fb/secrets",
        "/v1/vaults/payments/secrets/%2e%2e",
        "/v1/vaults/../secrets",
        "/v1/vaults/./payments",
        "/v1/vaults/payments;x=1/secrets",
        "/v1/vaults/payments\\secrets",
        "/v1/vaults/pay%zzments",
        "/v1/vaults/pay%6",
        "/v1/vaults/%00/secrets",
        "/v1/vaults/%c3%28/secrets",
        "/v1/vaults/payments#fragment",
        "http://example.com/v1/vaults",
        "*",
        "",
      })
  void targetsTheServersRefuseAreMalformed(String target) {
    Route route = PathRouter.route("GET", target);
    assertThat(route).isInstanceOf(Route.Refuse.class);
    assertThat(((Route.Refuse) route).code()).isEqualTo(ErrorCode.MALFORMED_REQUEST);
  }

  @Test
  void aControlCharacterOrSpaceInTheTargetIsMalformed() {
    for (String target :
        new String[] {"/v1/vaults/a\u0001", "/v1/vaults/a b", "/v1/vaults/\u00e9"}) {
      assertThat(PathRouter.route("GET", target))
          .isEqualTo(
              new Route.Refuse(
                  ErrorCode.MALFORMED_REQUEST, "The request target is not valid for this API."));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"OPTIONS", "TRACE", "PATCH", "CONNECT", "PROPFIND", "get"})
  void methodsOutsideTheFiveAreNotAllowed(String method) {
    Route route = PathRouter.route(method, "/v1/vaults/payments/secrets");
    assertThat(((Route.Refuse) route).code()).isEqualTo(ErrorCode.METHOD_NOT_ALLOWED);
  }

  @Test
  void aMalformedTargetIsRefusedBeforeItsMethod() {
    Route route = PathRouter.route("TRACE", "/v1/vaults/a%2Fb");
    assertThat(((Route.Refuse) route).code()).isEqualTo(ErrorCode.MALFORMED_REQUEST);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/",
        "/healthcheck",
        "/v2/vaults",
        "/v1",
        "/v1/",
        "/v1/other",
        "/v1/vaults/",
        "/v1/vaults//secrets",
        "/v1/vaults/payments/secrets/",
      })
  void pathsOutsideTheApiAreNotFound(String target) {
    Route route = PathRouter.route("GET", target);
    assertThat(((Route.Refuse) route).code()).isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void namesAreCheckedWithTheirOwnCodes() {
    assertThat(((Route.Refuse) PathRouter.route("GET", "/v1/vaults/Payments/secrets")).code())
        .isEqualTo(ErrorCode.INVALID_VAULT_NAME);
    assertThat(((Route.Refuse) PathRouter.route("PUT", "/v1/vaults/-x/secrets/a")).code())
        .isEqualTo(ErrorCode.INVALID_VAULT_NAME);
    assertThat(((Route.Refuse) PathRouter.route("GET", "/v1/vaults/payments/secrets/.x")).code())
        .isEqualTo(ErrorCode.INVALID_SECRET_NAME);
  }

  @Test
  void aRefusalNeverQuotesTheName() {
    Route route = PathRouter.route("GET", "/v1/vaults/Sensitive-Name/secrets");
    assertThat(((Route.Refuse) route).message()).doesNotContain("Sensitive");
  }
}
