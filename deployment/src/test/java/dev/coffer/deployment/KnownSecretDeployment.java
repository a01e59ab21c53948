package dev.coffer.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The deployment the bad-input tests share: one shard with one host, started once per test class,
 * holding vault {@value #VAULT} with secret {@value #SECRET} (a CURRENT version) and secret {@value
 * #PENDING_ONLY} (only a PENDING version). Register it as a static field with
 * {@code @RegisterExtension}.
 */
final class KnownSecretDeployment implements BeforeAllCallback, AfterAllCallback {
  static final String VAULT = "known";
  static final String SECRET = "there";
  static final String PENDING_ONLY = "rotating";

  private LocalCluster cluster;
  private CofferHttpClient client;

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster = LocalCluster.start(LocalCluster.Options.forTests().withShape(1, 1));
    client = new CofferHttpClient(cluster.adminToken(), true);
    String secrets = cluster.controlPlaneUrl() + "/v1/vaults/" + VAULT + "/secrets/";
    assertThat(
            client
                .post(cluster.controlPlaneUrl() + "/v1/vaults", "{\"name\":\"" + VAULT + "\"}")
                .status())
        .isEqualTo(201);
    assertThat(client.put(secrets + SECRET, "{\"value\":\"v\"}").status()).isEqualTo(201);
    assertThat(client.put(secrets + PENDING_ONLY + "?stage=PENDING", "{\"value\":\"p\"}").status())
        .isEqualTo(201);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (cluster != null) {
      cluster.close();
    }
  }

  LocalCluster cluster() {
    return cluster;
  }

  /** A client holding the admin token, with a fresh connection per request. */
  CofferHttpClient client() {
    return client;
  }

  LocalCluster.Host host() {
    return cluster.hosts().get(0);
  }
}
