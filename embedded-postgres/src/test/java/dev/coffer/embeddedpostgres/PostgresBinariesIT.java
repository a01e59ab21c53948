package dev.coffer.embeddedpostgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresBinariesIT {

  @Test
  void concurrentInstallersAgreeOnOneCompleteDirectory(@TempDir Path base) throws Exception {
    int installers = 3;
    CyclicBarrier barrier = new CyclicBarrier(installers);
    ExecutorService pool = Executors.newFixedThreadPool(installers);
    List<Future<Path>> results = new ArrayList<>();
    Callable<Path> install =
        () -> {
          barrier.await();
          return PostgresBinaries.install(base);
        };
    long started = System.nanoTime();
    try {
      for (int i = 0; i < installers; i++) {
        results.add(pool.submit(install));
      }
      List<Path> paths = new ArrayList<>();
      for (Future<Path> result : results) {
        paths.add(result.get(5, TimeUnit.MINUTES));
      }
      System.out.printf(
          "%d racing cold unpacks took %d ms%n",
          installers, (System.nanoTime() - started) / 1_000_000);

      Path installed = paths.get(0);
      assertThat(paths).containsOnly(installed);
      assertThat(installed.getFileName().toString()).matches("coffer-postgres-[0-9a-f]{16}");
      try (Stream<Path> siblings = Files.list(base)) {
        assertThat(siblings).containsExactly(installed); // losers cleaned up their staging copies
      }
      for (String tool : List.of("postgres", "initdb", "pg_ctl")) {
        assertThat(installed.resolve("bin").resolve(tool)).isExecutable();
        assertThat(
                PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(installed.resolve("bin").resolve(tool))))
            .isEqualTo("rwxr-xr-x");
      }
      assertThat(Files.isSymbolicLink(installed.resolve("lib/libpq.so"))).isTrue();
      assertThat(installed.resolve("lib/libpq.so")).exists(); // link resolves inside the tree
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(installed)))
          .isEqualTo("rwxr-xr-x");
      try (Stream<Path> all = Files.walk(installed)) {
        assertThat(
                all.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .map(PostgresBinariesIT::mode))
            .containsOnly("rwxr-xr-x");
      }

      long again = System.nanoTime();
      assertThat(PostgresBinaries.install(base)).isEqualTo(installed);
      System.out.printf("warm lookup took %d ms%n", (System.nanoTime() - again) / 1_000_000);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aGuttedCacheIsReplaced(@TempDir Path base) throws Exception {
    Path installed = PostgresBinaries.install(base);
    Files.delete(installed.resolve("bin/initdb")); // as a tmp cleaner might

    assertThat(PostgresBinaries.install(base)).isEqualTo(installed);
    assertThat(installed.resolve("bin/initdb")).isExecutable();
  }

  private static String mode(Path path) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
