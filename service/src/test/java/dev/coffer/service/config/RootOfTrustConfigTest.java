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
              - {type: pkcs11, keyId: hsm2, library: /usr/lib/x.so, tokenLabel: vault-a, pin: p}
              - {type: local, keyId: dev, key: "%s"}
            minimumProviders: 3
            vaultKeyCacheLifetime: 1m
            """
                .formatted(KEY));

    assertThat(config.providers())
        .extracting(RootKeyProviderConfig::type)
        .containsExactly("keystore", "pkcs11", "pkcs11", "local");
    assertThat(config.providers())
        .extracting(RootKeyProviderConfig::location)
        .contains("slot 7 of /usr/lib/x.so", "token 'vault-a' of /usr/lib/x.so");
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
  void aTokenIsChosenByExactlyOneOfTokenLabelAndSlot() {
    for (String token : new String[] {"", "slot: 7, tokenLabel: vault-a,"}) {
      assertThatThrownBy(
              () ->
                  Configs.rootOfTrust(
                      """
                      providers:
                        - {type: pkcs11, keyId: hsm, library: /usr/lib/x.so, %s pin: p}
                      minimumProviders: 1
                      """
                          .formatted(token)))
          .isInstanceOf(ConfigurationValidationException.class)
          .hasMessageContaining("give exactly one of tokenLabel and slot");
    }
    assertThatThrownBy(
            () ->
                Configs.rootOfTrust(
                    """
                    providers:
                      - {type: pkcs11, keyId: hsm, library: /usr/lib/x.so, tokenLabel: "%s", pin: p}
                    minimumProviders: 1
                    """
                        .formatted("x".repeat(33))))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("tokenLabel must have 1 to 32 bytes");
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
