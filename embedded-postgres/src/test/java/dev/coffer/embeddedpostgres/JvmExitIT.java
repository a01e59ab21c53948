package dev.coffer.embeddedpostgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Servers must not outlive their JVM, whether it exits normally, on a signal, or is killed. */
class JvmExitIT {

  private record Child(Process process, int port, long pid, Path directory) {}

  @Test
  void sigtermStopsTheServerThroughTheShutdownHook() throws Exception {
    Child child = startChild();
    assertThat(isRunning(child.pid())).isTrue();

    child.process().destroy(); // SIGTERM, like Ctrl-C or docker stop
    assertThat(child.process().waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(acceptsConnections(child.port())).isFalse();
    assertThat(isRunning(child.pid())).isFalse();
    assertThat(child.directory()).doesNotExist();
  }

  @Test
  void serversOfAKilledJvmAreReapedByTheNextOne() throws Exception {
    Child child = startChild();

    child.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertThat(child.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(isRunning(child.pid())).as("orphaned postmaster survives its JVM").isTrue();

    OrphanReaper.reap(child.directory().getParent(), PostgresServer.TEMPORARY_PREFIX);

    assertThat(isRunning(child.pid())).isFalse();
    assertThat(acceptsConnections(child.port())).isFalse();
    assertThat(child.directory()).doesNotExist();
  }

  @Test
  void theReaperLeavesServersOfLiveJvmsAlone() throws Exception {
    try (PostgresServer mine = PostgresServer.startTemporary()) {
      OrphanReaper.reap(mine.directory().getParent(), PostgresServer.TEMPORARY_PREFIX);
      assertThat(mine.directory()).exists();
      assertThat(acceptsConnections(mine.port())).isTrue();
    }
  }

  private static Child startChild() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    command.add(ServerHolder.class.getName());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader output =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String line;
    while ((line = output.readLine()) != null) {
      seen.append(line).append('\n');
      if (line.startsWith("READY ")) {
        String[] parts = line.split(" ", 4);
        drain(output);
        return new Child(
            process, Integer.parseInt(parts[1]), Long.parseLong(parts[2]), Path.of(parts[3]));
      }
    }
    throw new AssertionError("child JVM exited before its server was ready:\n" + seen);
  }

  /** Keeps the child from blocking on a full pipe when it logs during shutdown. */
  private static void drain(BufferedReader output) {
    Thread drainer =
        new Thread(
            () -> {
              try {
                while (output.readLine() != null) {
                  // discard
                }
              } catch (IOException ignored) {
                // child gone
              }
            });
    drainer.setDaemon(true);
    drainer.start();
  }

  private static boolean isRunning(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean acceptsConnections(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
