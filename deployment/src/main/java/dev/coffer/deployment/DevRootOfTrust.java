package dev.coffer.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The local deployment's root of trust, in {@code keys/} of the data directory: a PKCS#12 keystore
 * and, when SoftHSM2 is installed, a SoftHSM2 token with its own configuration (else a local root
 * key in the configuration, said so), plus a recovery key whose shares are written for the
 * developer at first start. The control plane and every host get the same providers.
 */
public final class DevRootOfTrust {
  static final String KEYSTORE_KEY_ID = "dev-keystore";
  static final String HSM_KEY_ID = "dev-hsm";
  static final String LOCAL_KEY_ID = "dev-local";
  static final int RECOVERY_SHARES = 3;
  static final int RECOVERY_THRESHOLD = 2;
  static final String TOKEN_LABEL = "coffer-dev";
  private static final String TOKEN_MARKER = "token-label";

  private static final List<String> SOFTHSM2_LIBRARIES =
      List.of(
          "/usr/lib/softhsm/libsofthsm2.so",
          "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
          "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
          "/usr/local/lib/softhsm/libsofthsm2.so",
          "/opt/homebrew/lib/softhsm/libsofthsm2.so");

  /** A SoftHSM2 token this deployment uses, chosen by its label. */
  record Hsm(Path library, Path conf, String tokenLabel) {}

  private final Path directory;
  private final Credentials credentials;
  private final Optional<Hsm> hsm;

  private DevRootOfTrust(Path directory, Credentials credentials, Optional<Hsm> hsm) {
    this.directory = directory;
    this.credentials = credentials;
    this.hsm = hsm;
  }

  /** Sets up the SoftHSM2 token when SoftHSM2 is installed and the token does not exist yet. */
  public static DevRootOfTrust prepare(Path directory, Credentials credentials) {
    Path keys = OwnerOnly.directory(directory.resolve("keys"));
    Optional<Path> library = softHsmLibrary();
    if (library.isEmpty() || !onPath("softhsm2-util")) {
      // Said in the start-up output (summary): the local root key stands in for the token.
      return new DevRootOfTrust(directory, credentials, Optional.empty());
    }
    Hsm hsm = softHsmToken(keys.resolve("softhsm2"), library.get(), credentials.hsmPin());
    return new DevRootOfTrust(directory, credentials, Optional.of(hsm));
  }

  Path keystore() {
    return directory.resolve("keys").resolve("root-keys.p12");
  }

  Path recoveryPublicKey() {
    return directory.resolve("keys").resolve("recovery-public-key.pem");
  }

  /** Where the recovery shares are written for the developer. */
  public Path recoveryShares() {
    return directory.resolve("recovery-shares");
  }

  public Optional<Hsm> hsm() {
    return hsm;
  }

  /** What protects the vault keys of the deployment in {@code directory}, for its output. */
  public static List<String> summary(Path directory) {
    Path keys = directory.resolve("keys");
    List<String> lines = new ArrayList<>();
    lines.add(
        "keystore " + keys.resolve("root-keys.p12") + " (passphrase in credentials.properties)");
    if (tokenExists(keys.resolve("softhsm2"))) {
      lines.add("SoftHSM2 token '" + TOKEN_LABEL + "' in " + keys.resolve("softhsm2"));
    } else {
      lines.add(
          "a local root key (SoftHSM2 is not installed, so the PKCS#11 provider was skipped)");
    }
    Path shares = directory.resolve("recovery-shares");
    if (Files.isDirectory(shares)) {
      lines.add(
          "recovery key: "
              + RECOVERY_SHARES
              + " shares in "
              + shares
              + ", any "
              + RECOVERY_THRESHOLD
              + " restore the vault keys");
    }
    return lines;
  }

  /** The {@code rootOfTrust} block of every server's configuration. */
  Map<String, Object> config() {
    List<Map<String, Object>> providers = new ArrayList<>();
    Map<String, Object> keystore = new LinkedHashMap<>();
    keystore.put("type", "keystore");
    keystore.put("keyId", KEYSTORE_KEY_ID);
    keystore.put("path", keystore().toString());
    keystore.put("format", "PKCS12");
    keystore.put("passphrase", credentials.keystorePassphrase());
    providers.add(keystore);
    if (hsm.isPresent()) {
      Map<String, Object> pkcs11 = new LinkedHashMap<>();
      pkcs11.put("type", "pkcs11");
      pkcs11.put("keyId", HSM_KEY_ID);
      pkcs11.put("library", hsm.get().library().toString());
      // By label: the slot id changes whenever the token is re-initialised.
      pkcs11.put("tokenLabel", hsm.get().tokenLabel());
      pkcs11.put("pin", credentials.hsmPin());
      providers.add(pkcs11);
    } else {
      providers.add(
          Map.of("type", "local", "keyId", LOCAL_KEY_ID, "key", credentials.rootKeyBase64()));
    }
    Map<String, Object> block = new LinkedHashMap<>();
    block.put("providers", providers);
    block.put("minimumProviders", 2);
    block.put("recoveryPublicKey", recoveryPublicKey().toString());
    block.put("vaultKeyCacheLifetime", "10m");
    return block;
  }

  /** The environment servers and commands need: SoftHSM2 reads its configuration from it. */
  public Map<String, String> environment() {
    return hsm.map(h -> Map.of("SOFTHSM2_CONF", h.conf().toString())).orElse(Map.of());
  }

  /**
   * Runs the operator commands a first start needs, through the control plane's configuration:
   * {@code recovery-init} when there is no recovery key yet, then {@code keys-init}, which creates
   * root keys that do not exist and checks the others.
   */
  void initialise(Path controlPlaneConfig) {
    if (!Files.exists(recoveryPublicKey())) {
      OperatorCommand.Outcome recovery =
          OperatorCommand.run(
              controlPlaneConfig,
              environment(),
              "recovery-init",
              "--shares",
              String.valueOf(RECOVERY_SHARES),
              "--threshold",
              String.valueOf(RECOVERY_THRESHOLD),
              "--out",
              recoveryShares().toString());
      if (!recovery.succeeded()) {
        throw new IllegalStateException("recovery-init failed:\n" + recovery.output());
      }
    }
    OperatorCommand.Outcome init =
        OperatorCommand.run(controlPlaneConfig, environment(), "keys-init");
    if (!init.succeeded()) {
      throw new IllegalStateException("keys-init failed:\n" + init.output());
    }
  }

  private static Hsm softHsmToken(Path home, Path library, String pin) {
    Path conf = home.resolve("softhsm2.conf");
    Path tokens = home.resolve("tokens");
    try {
      if (tokenExists(home)) {
        return new Hsm(library, conf, TOKEN_LABEL);
      }
      OwnerOnly.directory(tokens);
      OwnerOnly.write(
          conf,
          "directories.tokendir = "
              + tokens.toAbsolutePath()
              + "\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
      ProcessBuilder init =
          new ProcessBuilder(
                  OwnerOnly.underPrivateUmask(
                      List.of(
                          "softhsm2-util",
                          "--init-token",
                          "--free",
                          "--label",
                          TOKEN_LABEL,
                          "--pin",
                          pin,
                          "--so-pin",
                          pin + "-so")))
              .redirectErrorStream(true);
      init.environment().put("SOFTHSM2_CONF", conf.toString());
      Process process = init.start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("softhsm2-util --init-token failed: " + output);
      }
      // Written last: it marks the token as made.
      OwnerOnly.write(home.resolve(TOKEN_MARKER), TOKEN_LABEL + "\n");
      return new Hsm(library, conf, TOKEN_LABEL);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the SoftHSM2 token in " + home, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the SoftHSM2 token", e);
    }
  }

  /**
   * Whether the token was made. Data directories from before tokens were chosen by label mark it
   * with a {@code slot} file instead; their token has the same label.
   */
  private static boolean tokenExists(Path home) {
    return Files.exists(home.resolve(TOKEN_MARKER)) || Files.exists(home.resolve("slot"));
  }

  private static Optional<Path> softHsmLibrary() {
    String configured = System.getenv("COFFER_SOFTHSM2_LIBRARY");
    Stream<String> candidates =
        configured == null ? SOFTHSM2_LIBRARIES.stream() : Stream.of(configured);
    return candidates.map(Path::of).filter(Files::isRegularFile).findFirst();
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    return path != null
        && Stream.of(path.split(java.io.File.pathSeparator))
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }
}
