package dev.coffer.core.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A SoftHSM2 token for tests, created once per JVM in the directory named by {@code SOFTHSM2_CONF}
 * (the build sets it: the library reads it from the environment when it loads, so it cannot be
 * chosen later from inside the JVM).
 */
final class SoftHsm {
  static final String HOW_TO_ENABLE =
      "PKCS#11 tests need SoftHSM2: install it (Debian/Ubuntu: apt-get install softhsm2; .ci/run"
          + " does so when it runs as root) and run the tests through Maven, which sets"
          + " SOFTHSM2_CONF. A library elsewhere can be named with COFFER_SOFTHSM2_LIBRARY. On a"
          + " machine that cannot have it, COFFER_WITHOUT_SOFTHSM=true skips these tests instead of"
          + " failing them.";

  /**
   * The token for a PKCS#11 test. Without SoftHSM2 the test fails: a skipped root-of-trust test is
   * not a passing one. {@code COFFER_WITHOUT_SOFTHSM=true} turns the failure into a skip, for
   * machines that cannot have SoftHSM2, and says so.
   */
  static Pkcs11RootKeyProvider.Token requireToken() {
    Optional<Pkcs11RootKeyProvider.Token> token = token();
    if (token.isEmpty()) {
      if ("true".equals(System.getenv("COFFER_WITHOUT_SOFTHSM"))) {
        org.junit.jupiter.api.Assumptions.abort(HOW_TO_ENABLE);
      }
      org.junit.jupiter.api.Assertions.fail(HOW_TO_ENABLE);
    }
    return token.orElseThrow();
  }

  static final char[] PIN = "1234-zq7x-pin".toCharArray();
  private static final String SO_PIN = "5678-zq7x-so-pin";

  private static final List<String> LIBRARIES =
      List.of(
          "/usr/lib/softhsm/libsofthsm2.so",
          "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
          "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
          "/usr/local/lib/softhsm/libsofthsm2.so",
          "/opt/homebrew/lib/softhsm/libsofthsm2.so");

  /**
   * Three tokens: the one most tests use, a second for a key with the same id, and a third that is
   * only ever logged into with a wrong PIN (a PKCS#11 login holds for the whole process, so a wrong
   * PIN is only noticed on a token nothing has logged into).
   */
  private static final int TOKENS = 3;

  /** The label of token {@code n} (1 to 3), as {@link #token()} and the others are numbered. */
  static String label(int n) {
    return "coffer-test-" + n;
  }

  private static Optional<List<Pkcs11RootKeyProvider.Token>> tokens;

  private SoftHsm() {}

  static Optional<Pkcs11RootKeyProvider.Token> token() {
    return tokens().map(t -> t.get(0));
  }

  static Pkcs11RootKeyProvider.Token secondToken() {
    return tokens().orElseThrow().get(1);
  }

  static Pkcs11RootKeyProvider.Token tokenNeverLoggedInto() {
    return tokens().orElseThrow().get(2);
  }

  private static synchronized Optional<List<Pkcs11RootKeyProvider.Token>> tokens() {
    if (tokens == null) {
      tokens = create();
      if (tokens.isEmpty()) {
        System.err.println(HOW_TO_ENABLE);
      }
    }
    return tokens;
  }

  private static Optional<List<Pkcs11RootKeyProvider.Token>> create() {
    String conf = System.getenv("SOFTHSM2_CONF");
    Optional<Path> library = library();
    if (conf == null || library.isEmpty() || !onPath("softhsm2-util")) {
      return Optional.empty();
    }
    try {
      Path confFile = Path.of(conf);
      Path tokens = confFile.resolveSibling("tokens");
      deleteRecursively(tokens);
      Files.createDirectories(tokens);
      Files.writeString(
          confFile,
          "directories.tokendir = "
              + tokens.toAbsolutePath()
              + "\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
      List<Pkcs11RootKeyProvider.Token> created = new java.util.ArrayList<>();
      for (int i = 1; i <= TOKENS; i++) {
        created.add(new Pkcs11RootKeyProvider.Token(library.get(), initToken(label(i))));
      }
      return Optional.of(List.copyOf(created));
    } catch (IOException e) {
      throw new IllegalStateException("could not create a SoftHSM2 token", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long initToken(String label) throws IOException, InterruptedException {
    Process init =
        new ProcessBuilder(
                "softhsm2-util",
                "--init-token",
                "--free",
                "--label",
                label,
                "--pin",
                new String(PIN),
                "--so-pin",
                SO_PIN)
            .redirectErrorStream(true)
            .start();
    String output = new String(init.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!init.waitFor(60, TimeUnit.SECONDS) || init.exitValue() != 0) {
      throw new IllegalStateException("softhsm2-util --init-token failed: " + output);
    }
    Matcher slot = Pattern.compile("reassigned to slot (\\d+)").matcher(output);
    if (!slot.find()) {
      throw new IllegalStateException("no slot in softhsm2-util's output: " + output);
    }
    return Long.parseLong(slot.group(1));
  }

  private static Optional<Path> library() {
    String configured = System.getenv("COFFER_SOFTHSM2_LIBRARY");
    Stream<String> candidates = configured == null ? LIBRARIES.stream() : Stream.of(configured);
    return candidates.map(Path::of).filter(Files::isRegularFile).findFirst();
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    return path != null
        && Stream.of(path.split(java.io.File.pathSeparator))
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
