package dev.coffer.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the control plane's operator commands ({@code keys-init}, {@code recovery-init} ...)
 * as its own process, as an operator would, with the configuration file as the last argument.
 */
public final class OperatorCommand {
  /** How a command ended: its exit code and everything it printed. */
  public record Outcome(int exitCode, String output) {
    public boolean succeeded() {
      return exitCode == 0;
    }
  }

  static final String CONTROL_PLANE_MAIN = "dev.coffer.controlplane.ControlPlaneApplication";

  private OperatorCommand() {}

  public static Outcome run(
      Path configFile, Map<String, String> environment, String command, String... arguments) {
    List<String> line = new ArrayList<>();
    line.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    line.add("-Xmx256m");
    line.add("-cp");
    line.add(System.getProperty("java.class.path"));
    line.add(CONTROL_PLANE_MAIN);
    line.add(command);
    line.addAll(List.of(arguments));
    line.add(configFile.toString());
    try {
      // umask 077: the commands write root keys, recovery shares and the recovery public key.
      ProcessBuilder builder =
          new ProcessBuilder(OwnerOnly.underPrivateUmask(line)).redirectErrorStream(true);
      builder.environment().putAll(environment);
      Process process = builder.start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " did not finish in 2 minutes:\n" + output);
      }
      return new Outcome(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }
}
