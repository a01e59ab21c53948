package dev.coffer.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.core.crypto.LocalRootKeyProvider;
import io.dropwizard.configuration.ConfigurationValidationException;
import org.junit.jupiter.api.Test;

class RootOfTrustConfigTest {
  private static final String KEY = LocalRootKeyProvider.generateBase64Key();

  @Test
  void readsEveryProviderType() throws Exception {
    RootOfTrustConfig config =
        Configs.rootOfTrust(
            """
            providers:
              - {type: keystore, keyId: ks, path: /tmp/k.p12, format: BCFKS, passphrase: pass-zq7x}
              - {type: pkcs11, keyId: hsm, library: /usr/lib/x.so, slot: 7, pinFile: /tmp/pin}
              - {type: local, keyId: dev, key: "%s"}
            minimumProviders: 3
            vaultKeyCacheLifetime: 1m
            """
                .formatted(KEY));

    assertThat(config.providers())
        .extracting(RootKeyProviderConfig::type)
        .containsExactly("keystore", "pkcs11", "local");
    assertThat(config.vaultKeyCacheLifetime()).hasMinutes(1);
    assertThat(config.recoveryPublicKey()).isEmpty();
  }

  @Test
  void fewerProvidersThanTheMinimumIsAStartUpError() {
    assertThatThrownBy(
            () ->
                Configs.rootOfTrust(
                    "providers:\n  - {type: local, keyId: dev, key: \"" + KEY + "\"}\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("fewer root key providers than minimumProviders");
  }

  @Test
  void aPassphraseIsGivenExactlyOnce() {
    assertThatThrownBy(
            () ->
                Configs.rootOfTrust(
                    """
                    providers:
                      - {type: keystore, keyId: ks, path: /tmp/k.p12}
                    minimumProviders: 1
                    """))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("give exactly one of passphrase and passphraseFile");
  }

  @Test
  void keyIdsAreDistinctAndWellFormed() {
    assertThatThrownBy(
            () ->
                Configs.rootOfTrust(
                    """
                    providers:
                      - {type: local, keyId: dev, key: "%s"}
                      - {type: local, keyId: dev, key: "%s"}
                      - {type: local, keyId: Bad Id, key: "%s"}
                    """
                        .formatted(KEY, KEY, KEY)))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("names a key id twice")
        .hasMessageContaining("must have 1 to 63 lower-case letters");
  }

  @Test
  void anUnknownProviderTypeIsNamed() {
    assertThatThrownBy(
            () ->
                Configs.rootOfTrust(
                    "providers:\n  - {type: cloud-kms, keyId: k}\nminimumProviders: 1\n"))
        .hasMessageContaining("cloud-kms");
  }

  @Test
  void secretsNeverPrint() throws Exception {
    RootOfTrustConfig config =
        Configs.rootOfTrust(
            """
            providers:
              - {type: keystore, keyId: ks, path: /tmp/k.p12, passphrase: pass-zq7x}
              - {type: pkcs11, keyId: hsm, library: /usr/lib/x.so, slot: 7, pin: pin-zq7x}
              - {type: local, keyId: dev, key: "%s"}
            """
                .formatted(KEY));

    assertThat(config.toString())
        .contains("keystore root key 'ks'")
        .doesNotContain("pass-zq7x")
        .doesNotContain("pin-zq7x")
        .doesNotContain(KEY);
  }
}
