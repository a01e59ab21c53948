package dev.coffer.embeddedpostgres;

import java.nio.file.Path;

/**
 * Child JVM for {@link JvmExitIT}: starts a server, reports it on stdout and then waits to be
 * terminated, never calling close itself.
 */
public final class ServerHolder {

  private ServerHolder() {}

  public static void main(String[] args) throws InterruptedException {
    PostgresServer server =
        args.length == 2
            ? PostgresServer.startPersistent(Path.of(args[0]), Integer.parseInt(args[1]))
            : PostgresServer.startTemporary();
    System.out.println("READY " + server.port() + " " + server.pid() + " " + server.directory());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
