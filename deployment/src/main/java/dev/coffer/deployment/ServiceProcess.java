package dev.coffer.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Coffer server as a real operating-system process: a JVM started from this JVM's class path
 * with a Dropwizard configuration file, its output appended to a log file. The log file is created
 * owner-only before anything is written to it, and the process runs with umask 077, so that what
 * the server creates (a host's RocksDB files) is owner-only too.
 */
public final class ServiceProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final String mainClass;
  private final Path configFile;
  private final Path logFile;
  private final URI readiness;
  private final String bearerToken;
  private final List<String> jvmOptions;
  private final java.util.Map<String, String> environment = new java.util.HashMap<>();
  private Process process;

  public ServiceProcess(
      String name,
      String mainClass,
      Path configFile,
      Path logFile,
      URI readiness,
      String bearerToken,
      List<String> jvmOptions) {
    this.name = name;
    this.mainClass = mainClass;
    this.configFile = configFile;
    this.logFile = logFile;
    this.readiness = readiness;
    this.bearerToken = bearerToken;
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  /** Adds environment variables for the process (a PKCS#11 library's configuration). */
  public synchronized ServiceProcess withEnvironment(java.util.Map<String, String> variables) {
    environment.putAll(variables);
    return this;
  }

  public synchronized void start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is already running");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.add("server");
    command.add(configFile.toString());
    try {
      OwnerOnly.file(logFile);
      ProcessBuilder builder = new ProcessBuilder(OwnerOnly.underPrivateUmask(command));
      builder.environment().putAll(environment);
      process =
          builder
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name, e);
    }
  }

  /** Waits until the readiness probe answers 200; fails early if the process dies. */
  public void awaitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastAnswer = "no answer";
    while (System.nanoTime() < deadline) {
      Process current = currentProcess();
      if (current == null || !current.isAlive()) {
        throw new IllegalStateException(
            name + " exited before becoming healthy. Its log ends with:\n" + logTail(40));
      }
      try {
        HttpRequest.Builder probe =
            HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2));
        if (bearerToken != null) {
          probe.header("Authorization", "Bearer " + bearerToken);
        }
        HttpResponse<String> response =
            HTTP.send(probe.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        lastAnswer = "HTTP " + response.statusCode() + ": " + response.body();
      } catch (IOException e) {
        lastAnswer = e.getClass().getSimpleName();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
      sleep(100);
    }
    throw new IllegalStateException(
        name
            + " did not become healthy in "
            + timeout
            + " ("
            + lastAnswer
            + "). Log tail:\n"
            + logTail(40));
  }

  /** Graceful stop (SIGTERM), as an operator would; forced after a grace period. */
  public void stop() {
    Process current = currentProcess();
    if (current == null) {
      return;
    }
    current.destroy();
    try {
      if (!current.waitFor(20, TimeUnit.SECONDS)) {
        current.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      current.destroyForcibly();
    }
  }

  /** SIGKILL: the process gets no chance to flush or clean up, as in a crash. */
  public void kill() {
    Process current = currentProcess();
    if (current == null) {
      return;
    }
    current.destroyForcibly();
    try {
      current.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean isAlive() {
    Process current = currentProcess();
    return current != null && current.isAlive();
  }

  public long pid() {
    Process current = currentProcess();
    return current == null ? -1 : current.pid();
  }

  public String name() {
    return name;
  }

  public Path logFile() {
    return logFile;
  }

  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getClass().getSimpleName() + ")";
    }
  }

  private synchronized Process currentProcess() {
    return process;
  }

  @Override
  public void close() {
    stop();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
