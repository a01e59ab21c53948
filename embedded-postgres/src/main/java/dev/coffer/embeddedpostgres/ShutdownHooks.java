package dev.coffer.embeddedpostgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes instances that are still open when the JVM exits (Ctrl-C in dev mode, a test run that
 * never called close), so that no postmaster outlives its JVM. One hook for all instances; they are
 * closed in parallel to keep shutdown short.
 */
final class ShutdownHooks {

  private static final Logger LOG = LoggerFactory.getLogger(ShutdownHooks.class);
  private static final Set<PostgresInstance> OPEN = ConcurrentHashMap.newKeySet();
  private static boolean installed;

  private ShutdownHooks() {}

  static synchronized void register(PostgresInstance instance) {
    if (!installed) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(ShutdownHooks::closeAll, "coffer-postgres-shutdown"));
      installed = true;
    }
    OPEN.add(instance);
  }

  static void unregister(PostgresInstance instance) {
    OPEN.remove(instance);
  }

  private static void closeAll() {
    List<Thread> closers = new ArrayList<>();
    for (PostgresInstance instance : List.copyOf(OPEN)) {
      Thread closer = new Thread(instance::close, "coffer-postgres-close");
      closer.start();
      closers.add(closer);
    }
    for (Thread closer : closers) {
      try {
        closer.join(120_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        LOG.warn("Interrupted while stopping PostgreSQL at JVM exit");
        return;
      }
    }
  }
}
